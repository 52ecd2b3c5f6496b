"""Every text from outside, made safe once, before anything else reads it.

Messengers deliver what people (and scripts) send: decomposed Vietnamese (NFD, from some
phones and copy-pastes), lone surrogates, NUL bytes (PostgreSQL refuses them in text),
terminal control characters, and messages of any length. The dispatcher cleans every event
here, so no flow, pattern or database ever sees them raw.
"""

from __future__ import annotations

import re
import unicodedata

# The longest message any channel delivers (Telegram's 4,096); anything longer is refused
# whole with a message naming the limit, never cut and half-read.
MAX_TEXT = 4096
# A command name longer than this is no command of ours: it is not echoed back in full.
MAX_COMMAND = 32

# C0 and C1 controls but tab and line feed, lone surrogates, and the characters that only
# steer layout (zero-width spaces and joiners, soft hyphens, direction marks, BOM).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


def clean_text(text: str) -> str:
    """`text` in NFC, lines ended by "\\n", with nothing unsafe left."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Surrogates go first: normalisation refuses strings that hold them.
    return unicodedata.normalize("NFC", _UNSAFE.sub("", text))


def too_long(text: str) -> bool:
    return len(text) > MAX_TEXT
