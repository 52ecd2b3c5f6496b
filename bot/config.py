"""Configuration from REPORTBOT_* environment variables and an optional TOML file."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.channels import PLATFORM_CAPABILITIES, Capabilities, Platform
from handlers.i18n import _
from handlers.people import INVITE_VALID_DAYS
from storage.models import CONSOLE_CHANNEL

DEFAULT_DATABASE_URL = "sqlite:///./reportbot.db"
CONFIG_FILE_VARIABLE = "REPORTBOT_CONFIG"
DEFAULT_CONFIG_FILE = "reportbot.toml"


class ChannelSettings(BaseModel):
    """One bot account (a `[[channels]]` table of reportbot.toml): its platform, its secret,
    the ward whose citizens it answers, and any capability that differs from the platform's."""

    name: str
    platform: Platform
    token: SecretStr | None = None
    ward: str | None = None
    # The platform's API address and webhook secret, where this account differs from the
    # process-wide settings.
    api_base: str | None = None
    webhook_secret: SecretStr | None = None
    buttons: bool | None = None
    edits: bool | None = None
    documents: bool | None = None
    photos: bool | None = None
    groups: bool | None = None
    max_text: int | None = None
    monthly_quota: int | None = None
    user_cap: int | None = None
    # What people type to find this bot in their messenger (its name or handle): the invite
    # says which bot to write to when a ward has several of a platform.
    handle: str | None = None
    # A Zalo Official Account: `token` is its access token; the app's id, the OA secret key
    # (webhook signatures), the app secret (OAuth) and the refresh token.
    app_id: str | None = None
    secret_key: SecretStr | None = None
    app_secret: SecretStr | None = None
    refresh_token: SecretStr | None = None

    def capabilities(self) -> Capabilities:
        overrides = {
            field: value
            for field in ("buttons", "edits", "documents", "photos", "groups", "max_text")
            if (value := getattr(self, field)) is not None
        }
        for limit in ("monthly_quota", "user_cap"):
            # Set to nothing, a limit is lifted (a paid plan).
            if limit in self.model_fields_set:
                overrides[limit] = getattr(self, limit)
        return replace(PLATFORM_CAPABILITIES[self.platform], **overrides)


class Settings(BaseSettings):
    """Everything an operator may set; environment variables override the TOML file."""

    model_config = SettingsConfigDict(env_prefix="REPORTBOT_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    default_timezone: str = "Asia/Ho_Chi_Minh"
    default_locale: str = "vi"
    default_report_day: int = 16
    invite_valid_days: int = INVITE_VALID_DAYS
    # One folder per ward with its contacts and extra guides (docs/GUIDANCE.md).
    wards_dir: Path = Path("wards")
    sql_echo: bool = False
    # Bot accounts: one per platform from its token (the simple case), any number from
    # `[[channels]]`; the console is always there.
    telegram_token: SecretStr | None = None
    zalo_bot_token: SecretStr | None = None
    # The Zalo bot's name as people search for it, which invitations name.
    zalo_bot_handle: str | None = None
    # The Zalo Official Account for citizens (bot/zalo_oa): the tokens seed the database
    # only while it holds no pair of its own; the API bases are settable for tests.
    zalo_oa_app_id: str | None = None
    zalo_oa_secret_key: SecretStr | None = None
    zalo_oa_app_secret: SecretStr | None = None
    zalo_oa_access_token: SecretStr | None = None
    zalo_oa_refresh_token: SecretStr | None = None
    zalo_oa_ward: str | None = None
    zalo_oa_api_base: str = "https://openapi.zalo.me"
    zalo_oa_oauth_base: str = "https://oauth.zaloapp.com"
    channels: list[ChannelSettings] = []
    # The Zalo Bot API (bot/zalo_bot/): docs/ZALO_BOT_API.md "Base URL" gives this host;
    # older clients still use https://bot-api.zapps.me (tungedng2710/DMOM-RAG,
    # Bot_zalo/README.md), which works here too. The webhook secret, with a public URL,
    # makes the channel take updates by webhook instead of polling.
    zalo_bot_api_base: str = "https://bot-api.zaloplatforms.com"
    zalo_bot_webhook_secret: SecretStr | None = None
    # `reportbot run`: the one web server (webhooks, /healthz, file links), behind a reverse
    # proxy for HTTPS in production; the address it is reached at from outside.
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    public_url: str | None = None
    # What file links are signed with (shared by every process); made and kept in the
    # database when not set.
    file_link_secret: SecretStr | None = None
    file_link_days: int = Field(default=7, ge=1, le=90)
    # How long a sender holds an outbox row it is sending: a process that dies holding one
    # leaves it to another after this long (longer than any one request takes).
    outbox_claim_seconds: int = Field(default=60, ge=1, le=3600)
    # Telegram's messages sent from a child process, on the machine's second core, while this
    # one takes the turns (bot/sending_process.py): for a ward that keeps one core busy.
    sending_process: bool = False
    # How long citizens' questions (masked) are kept before they are deleted; their counts
    # stay in the monthly figures (handlers/guidance/retention.py).
    citizen_question_months: int = Field(default=12, ge=1, le=120)
    # Past this share of a channel's monthly quota, nudges and progress notes wait (for the
    # next month) so that replies and digests have what is left (bot/economy.py).
    quota_reserve: float = Field(default=0.9, gt=0, le=1)

    def secrets(self) -> list[str]:
        """Every configured secret, so logs can be scrubbed of them."""
        found = [
            self.telegram_token,
            self.zalo_bot_token,
            self.zalo_bot_webhook_secret,
            self.zalo_oa_secret_key,
            self.zalo_oa_app_secret,
            self.zalo_oa_access_token,
            self.zalo_oa_refresh_token,
            self.file_link_secret,
        ]
        for channel in self.channels:
            found += [
                channel.token,
                channel.webhook_secret,
                channel.secret_key,
                channel.app_secret,
                channel.refresh_token,
            ]
        return [secret.get_secret_value() for secret in found if secret is not None]

    def all_channels(self) -> list[ChannelSettings]:
        """Every configured channel, the console's first; names are unique."""
        found = [ChannelSettings(name=CONSOLE_CHANNEL, platform=Platform.CONSOLE)]
        for platform, token, handle in (
            (Platform.TELEGRAM, self.telegram_token, None),
            (Platform.ZALO_BOT, self.zalo_bot_token, self.zalo_bot_handle),
        ):
            if token is not None:
                found.append(
                    ChannelSettings(
                        name=platform.value, platform=platform, token=token, handle=handle
                    )
                )
        if self.zalo_oa_access_token is not None:
            found.append(
                ChannelSettings(
                    name=Platform.ZALO_OA.value,
                    platform=Platform.ZALO_OA,
                    token=self.zalo_oa_access_token,
                    ward=self.zalo_oa_ward,
                    app_id=self.zalo_oa_app_id,
                    secret_key=self.zalo_oa_secret_key,
                    app_secret=self.zalo_oa_app_secret,
                    refresh_token=self.zalo_oa_refresh_token,
                )
            )
        found.extend(self.channels)
        names = [channel.name for channel in found]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(
                _("Mỗi kênh cần một tên riêng; tên bị trùng: {names}.").format(
                    names=", ".join(duplicates)
                )
            )
        return found

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get(CONFIG_FILE_VARIABLE, DEFAULT_CONFIG_FILE))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )


def redact_url(url: str) -> str:
    """The database URL without its password, safe for logs and error messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<invalid database URL>"
