"""What an operator may set for Telegram beyond the bot's token (REPORTBOT_TELEGRAM_*)."""

from __future__ import annotations

import hashlib

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org"


class TelegramSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTBOT_TELEGRAM_", extra="ignore")

    # Telegram's, a self-hosted Bot API server, or a fake in tests.
    api_base: str = TELEGRAM_API
    # Checked against X-Telegram-Bot-Api-Secret-Token on every webhook call; made from the
    # token when not set, so a webhook is never left unchecked.
    webhook_secret: SecretStr | None = None
    # How long one getUpdates call waits for an update (long polling), in seconds.
    poll_timeout: int = Field(default=25, ge=0, le=50)
    # Telegram's published limits: about 30 messages a second per bot, one a second in a
    # private chat, 20 a minute in a group.
    messages_per_second: float = Field(default=30, gt=0)
    private_chat_per_second: float = Field(default=1, gt=0)
    group_per_minute: float = Field(default=20, gt=0)
    # A 429 is waited out and retried this often, when it asks for at most `longest_wait`
    # seconds; otherwise the delivery loop tries the row again when Telegram said.
    retries_after_429: int = Field(default=2, ge=0)
    longest_wait: float = Field(default=30, ge=0)

    def secret_for(self, token: str) -> str:
        """The webhook's secret token: the configured one, or one made from the bot's token
        (Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and -)."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        return hashlib.sha256(f"reportbot-webhook:{token}".encode()).hexdigest()
