"""Domains no guide covers (`handlers/guidance/scope.py`) and requests to act on one's case."""

from __future__ import annotations

from handlers.guidance import GuidanceEngine, Outcome
from handlers.guidance.normalize import normalize
from handlers.guidance.scope import ScopeIndex, anchors_in
from handlers.guidance.screening import asks_to_act_on_a_case, mentions_scam_signal


def _named(question: str) -> list[str]:
    return [" ".join(anchor.syllables) for anchor, _ in anchors_in(normalize(question))]


def test_an_anchor_is_found_with_or_without_diacritics() -> None:
    assert _named("công chứng di chúc ở đâu") == ["công chứng", "di chúc"]
    assert _named("cong chung di chuc o dau") == ["công chứng", "di chúc"]


def test_syllables_typed_with_other_diacritics_are_another_word() -> None:
    assert _named("cho thuê nhà ở trọ đăng ký tạm trú") == []
    assert "thuế" in _named("cho thuê nhà phải đóng thuế bao nhiêu")
    assert _named("mất điện thoại có cài vneid") == []
    assert _named("mat dt co cai vneid") == []


def test_a_guide_that_speaks_of_the_anchor_keeps_it() -> None:
    scope = ScopeIndex({"pension": ["Nhận lương hưu qua tài khoản"], "other": ["Mật khẩu"]})
    anchors = anchors_in(normalize("nhận lương hưu ở đâu"))
    assert scope.uncovered("pension", anchors) == []
    assert [a.syllables for a in scope.uncovered("other", anchors)] == [("lương", "hưu")]


def test_questions_naming_an_uncovered_domain_are_handed_over(engine: GuidanceEngine) -> None:
    for question in (
        "quên mật khẩu zalo làm sao",
        "cho thuê nhà phải đóng thuế bao nhiêu",
        "tra cứu quá trình đóng bảo hiểm xã hội ở đâu",
    ):
        assert engine.answer(question).outcome is Outcome.HANDOFF, question
    # The guide about the domain's word still answers.
    assert engine.answer("người quen nhắn zalo vay tiền có phải lừa đảo không").guide_id == (
        "scam-recognise"
    )


def test_changing_ones_own_password_is_no_scam_signal() -> None:
    assert not mentions_scam_signal("đổi mật khẩu wifi nhà mạng")
    assert mentions_scam_signal("có người đòi mật khẩu vneid của tôi")
    assert mentions_scam_signal("co nguoi doi mat khau vneid cua toi")


def test_asking_the_bot_to_check_ones_own_case() -> None:
    assert asks_to_act_on_a_case("kiểm tra giúp em hồ sơ tạm trú nộp hôm qua")
    assert asks_to_act_on_a_case("vneid cua toi sai ngay sinh, sua giup toi")
    assert not asks_to_act_on_a_case("kiểm tra giúp em trang web này có lừa đảo không")
    assert not asks_to_act_on_a_case("chỉ giúp em cách đổi mật khẩu vneid của em")
    assert asks_to_act_on_a_case("hồ sơ khai sinh cho con nộp hôm thứ 3 giờ lấy được chưa")
    assert not asks_to_act_on_a_case("nộp hồ sơ online quá hạn chưa có kết quả thì làm sao")
