"""Platform times in milliseconds since the epoch, as Zalo sends them: the Bot API's `date` and
the Official Account's `timestamp`, a number or digits in a string. Anything else is no time."""

from __future__ import annotations

from datetime import UTC, datetime

# 9999-12-31 23:59:59.999 UTC: the last moment a datetime can hold.
_LATEST = 253_402_300_799_999


def milliseconds(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 15:
        value = int(value)
    if isinstance(value, int) and 0 < value <= _LATEST:
        return value
    return None


def moment(value: object) -> datetime | None:
    stamp = milliseconds(value)
    return None if stamp is None else datetime.fromtimestamp(stamp / 1000, UTC)
