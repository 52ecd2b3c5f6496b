"""Golden outputs of a fixed month: the digest and the Word report's text, compared line by line.

When an output changes on purpose, regenerate with REPORTBOT_UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import docx
from test_checkin import Ward, choice_number, ward  # noqa: F401  (the fixture)

from bot.reports.exports import render
from handlers.reporting.files import ExportFormat
from handlers.reporting.summary import PeriodSummary, summarize

GOLDEN = Path(__file__).parent / "data" / "golden"


async def _fixed_month(ward: Ward) -> PeriodSummary:  # noqa: F811
    await ward.coordinator.send("/moky 2026-11")
    await ward.head.send(
        "1 ht, đã ký số 100% văn bản\n2 60% vướng kinh phí\n3 ctk\n4 kps\n5 ht\n6 đang làm 40%\n7 ht"
    )
    await ward.head.send(choice_number(ward.head, "Lưu"))
    await ward.head.send(choice_number(ward.head, "Gửi báo cáo"))
    await ward.head.send("/vuongmac Chưa có kinh phí mua thiết bị")
    await ward.head.send(choice_number(ward.head, "Không gắn"))
    async with ward.application.transaction() as repositories:
        example = await repositories.wards.get("Hồng Bàng")
        period = await repositories.for_ward(example.id).periods.current()
        assert period is not None
        return await summarize(repositories, example, period)


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("REPORTBOT_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text.splitlines() == path.read_text(encoding="utf-8").splitlines()


async def test_golden_digest_and_word_text(ward: Ward) -> None:  # noqa: F811
    summary = await _fixed_month(ward)
    _compare("digest-2026-11.md", render(summary, ExportFormat.MARKDOWN).decode())
    document = docx.Document(io.BytesIO(render(summary, ExportFormat.WORD)))
    paragraphs = [p.text.replace("\xa0", " ") for p in document.paragraphs if p.text.strip()]
    _compare("word-2026-11.txt", "\n".join(paragraphs) + "\n")
