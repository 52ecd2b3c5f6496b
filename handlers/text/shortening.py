"""Cutting a text a person wrote to fit a card or an echo, at a word boundary."""

from __future__ import annotations

CARD_CONTENT_CHARS = 160


def shorten(text: str, limit: int = CARD_CONTENT_CHARS) -> str:
    """Cut at a word boundary, so a card stays readable on a phone."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
