"""The one web server: /healthz, file links signed and expiring, webhook routes; log lines
without secrets."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime, timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import given, strategies as st

from bot.app import Application
from bot.file_links import FileLinks
from bot.logs import Redacting
from bot.web import web_application
from storage.clock import FixedClock

LINKS_VALID = timedelta(days=7)
ISSUED = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)


def _links(clock: FixedClock, key: str = "k" * 32) -> FileLinks:
    return FileLinks(key, clock, "https://bot.example", LINKS_VALID)


def test_a_link_names_its_file_and_ward_until_it_expires(clock: FixedClock) -> None:
    links = _links(clock)
    token = links.token(12, 3)
    assert links.url(12, 3).startswith("https://bot.example/f/")
    read = links.read(token)
    assert read is not None and (read.file_id, read.ward_id) == (12, 3)
    clock.advance(LINKS_VALID - timedelta(seconds=1))
    assert links.read(token) is not None
    clock.advance(timedelta(seconds=1))
    assert links.read(token) is None


def test_an_evidence_link_names_the_answer_and_the_item(clock: FixedClock) -> None:
    links = _links(clock)
    url = links.evidence_url(40, 2, 3)
    read = links.read(url.rsplit("/", 1)[-1])
    assert read is not None and (read.file_id, read.ward_id, read.evidence) == (40, 3, 2)
    # A kept file's link names no evidence.
    kept = links.read(links.token(40, 3))
    assert kept is not None and kept.evidence is None


def test_a_link_signed_with_another_key_is_refused(clock: FixedClock) -> None:
    assert _links(clock, "other" * 8).read(_links(clock).token(12, 3)) is None


@given(st.integers(0, 200), st.characters(codec="ascii"))
def test_any_change_to_a_token_is_refused(position: int, replacement: str) -> None:
    links = _links(FixedClock(ISSUED))
    token = links.token(12, 3)
    at = position % len(token)
    if token[at] == replacement:
        return
    assert links.read(token[:at] + replacement + token[at + 1 :]) is None


@given(st.text(max_size=300))
def test_garbage_is_refused_never_raised(garbage: str) -> None:
    assert _links(FixedClock(ISSUED)).read(garbage) is None


async def _served(application: Application, links: FileLinks, routes: dict) -> TestClient:  # type: ignore[type-arg]
    async def health() -> dict:  # type: ignore[type-arg]
        return {"status": "ok", "channels": {}}

    app = web_application(health, routes, links, application.transaction)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


async def test_files_are_served_by_link_and_refused_when_tampered_or_expired(
    sqlite_application: Application, clock: FixedClock
) -> None:
    async with sqlite_application.transaction() as repositories:
        ward, other = [
            await repositories.wards.add(
                name, timezone="Asia/Ho_Chi_Minh", report_day=16, locale="vi"
            )
            for name in ("Phường Vĩnh Tuy", "Phường Ba Đình")
        ]
        file_id = await repositories.files.keep(ward.id, "báo cáo.docx", b"PK\x03\x04word")
    links = _links(clock)
    client = await _served(sqlite_application, links, {})
    try:
        good = await client.get(f"/f/{links.token(file_id, ward.id)}")
        assert good.status == 200 and await good.read() == b"PK\x03\x04word"
        assert "filename*=UTF-8''b%C3%A1o%20c%C3%A1o.docx" in good.headers["Content-Disposition"]
        assert good.headers["Content-Type"].startswith("application/vnd.openxmlformats")
        # A link naming the file under another ward is refused, even correctly signed.
        assert (await client.get(f"/f/{links.token(file_id, other.id)}")).status == 403
        tampered = links.token(file_id, ward.id)[:-2] + "AA"
        assert (await client.get(f"/f/{tampered}")).status == 403
        issued = links.token(file_id, ward.id)
        clock.advance(LINKS_VALID)
        assert (await client.get(f"/f/{issued}")).status == 403
    finally:
        await client.close()


async def test_a_channels_webhook_route_is_served_and_others_are_not_found(
    sqlite_application: Application, clock: FixedClock
) -> None:
    seen: list[bytes] = []

    async def hook(request: web.Request) -> web.Response:
        seen.append(await request.read())
        return web.Response(text="ok")

    client = await _served(sqlite_application, _links(clock), {"/telegram/hong-bang": hook})
    try:
        assert (await client.post("/telegram/hong-bang", data=b"{}")).status == 200
        assert (await client.post("/telegram/other", data=b"{}")).status == 404
        assert seen == [b"{}"]
        health = await client.get("/healthz")
        assert health.status == 200 and (await health.json())["status"] == "ok"
    finally:
        await client.close()


def test_log_lines_carry_no_secret_and_no_line_break() -> None:
    formatter = Redacting(["s3cr3t-token-value"])
    try:
        raise RuntimeError(
            "POST https://api.telegram.org/bot123456:AAE-xyz_abcdefghij/getMe failed"
        )
    except RuntimeError:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "secret %s here",
            ("s3cr3t-token-value",),
            sys.exc_info(),
        )
    line = formatter.format(record)
    assert "s3cr3t-token-value" not in line and "AAE-xyz" not in line
    assert "/bot***/getMe" in line and "\n" not in line
    zalo = formatter.scrub("https://bot-api.zaloplatforms.com/bot1234567890:abcdEFGH/sendMessage")
    assert zalo == "https://bot-api.zaloplatforms.com/bot***/sendMessage"
