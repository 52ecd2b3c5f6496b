"""The consolidated picture of a period, and what is rendered from it (chat digest first)."""
