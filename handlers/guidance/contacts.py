"""A ward's own contact values, as written in `<ward_dir>/contacts.toml`.

Ward guides refer to these values as `{{office_address}}`; a value the ward has not
configured is never guessed: the guide that needs it is withheld and the question handed
to a person.

```toml
[contacts]
ward_name = "Phường Vĩnh Tuy"
office_address = "…"
office_hours = "Sáng thứ Hai – thứ Sáu: 8h00–12h00; chiều: 13h30–17h00"
office_phone = "…"
digital_team_contact = "…"
human_contact = "…"
province = "Thành phố Hà Nội"   # the ward's province or city: guides for other places say so
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from handlers.guidance.errors import GuideError

CONTACT_KEYS: tuple[str, ...] = (
    "ward_name",
    "office_address",
    "office_hours",
    "office_phone",
    "digital_team_contact",
    "human_contact",
    "province",
)
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


@dataclass(frozen=True)
class WardContacts:
    """Configured contact values of one ward; keys are from `CONTACT_KEYS`."""

    values: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        """The configured value, or None when the ward has not set it."""
        return self.values.get(key)

    @property
    def province(self) -> str | None:
        """The ward's province or city, when configured."""
        return self.values.get("province")

    def fill(self, text: str) -> tuple[str, tuple[str, ...]]:
        """Substitute `{{key}}` placeholders; return the text and the keys left unconfigured."""
        missing = tuple(dict.fromkeys(key for key in placeholders(text) if key not in self.values))
        if missing:
            return text, missing
        return PLACEHOLDER.sub(lambda match: self.values[match.group(1)], text), ()


def placeholders(text: str) -> list[str]:
    """The contact keys a text refers to, in order of appearance."""
    return PLACEHOLDER.findall(text)


def parse_contacts(origin: str, text: str) -> WardContacts:
    """Validate the text of a ward's `contacts.toml`; `origin` names it in errors."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GuideError(origin, f"invalid TOML: {error}") from error
    table = document.get("contacts", {})
    if not isinstance(table, dict):
        raise GuideError(origin, "[contacts] must be a table")
    unknown = sorted(set(table) - set(CONTACT_KEYS))
    if unknown:
        raise GuideError(
            origin, f"unknown contact keys {unknown}; known keys: {list(CONTACT_KEYS)}"
        )
    values: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise GuideError(origin, f"contact {key!r} must be a string")
        if value.strip():
            values[key] = value.strip()
    return WardContacts(values)
