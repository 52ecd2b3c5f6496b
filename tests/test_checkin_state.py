"""The check-in's steps and typed state: one table row per step, the stored JSON unchanged."""

from __future__ import annotations

from decimal import Decimal

from handlers.checkin.flow import STEPS, router
from handlers.checkin.state import FLOW, CheckinState, PendingAnswer, Step
from storage.vocabulary import TaskStatus

# As the check-in stored it before its state was typed: a one-message report being confirmed.
STORED = {
    "unit_id": 5,
    "coordinating": True,
    "position": 3,
    "editing": True,
    "quick": [
        {
            "task_id": 41,
            "values": {
                "status": "in_progress",
                "progress_percent": 60,
                "kpi_value": "85.5",
                "difficulties": "thiếu kinh phí",
            },
        },
        {"task_id": 42, "values": {"status": "not_applicable", "progress_percent": None}},
    ],
    "_choices": ["save", "cancel"],
}


def test_a_state_stored_before_it_was_typed_loads() -> None:
    state = CheckinState.from_data(STORED)
    assert (state.unit_id, state.coordinating, state.position, state.editing) == (5, True, 3, True)
    assert state.quick[0] == PendingAnswer(
        41,
        {
            "status": TaskStatus.IN_PROGRESS,
            "progress_percent": 60,
            "kpi_value": Decimal("85.5"),
            "difficulties": "thiếu kinh phí",
        },
    )
    assert state.quick[1].values["status"] is TaskStatus.NOT_APPLICABLE


def test_the_state_is_stored_in_the_same_shape() -> None:
    data = {"_choices": ["save", "cancel"]}
    CheckinState.from_data(STORED).store(data)
    assert data == STORED
    # Editing and a pending report are kept only while they hold something, as before.
    CheckinState(unit_id=5).store(data)
    assert data == {
        "unit_id": 5,
        "coordinating": False,
        "position": 0,
        "_choices": ["save", "cancel"],
    }


def test_a_state_from_the_first_message_loads() -> None:
    state = CheckinState.from_data({"unit_id": 7, "coordinating": False, "position": 0})
    assert state == CheckinState(unit_id=7)


def test_every_step_after_the_unit_is_one_row_of_the_table() -> None:
    # The unit and the period are chosen before there is a check-in to ask about.
    assert set(STEPS) == set(Step) - {Step.UNIT, Step.PERIOD}
    assert router.resting_steps[FLOW] == {Step.OVERVIEW, Step.REVIEW}
    assert {step for step, spec in STEPS.items() if spec.takes_quick_report} == {
        Step.OVERVIEW,
        Step.STATUS,
        Step.REVIEW,
        Step.QUICK_CONFIRM,
    }
