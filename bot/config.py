"""Configuration from REPORTBOT_* environment variables and an optional TOML file."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_DATABASE_URL = "sqlite:///./reportbot.db"
CONFIG_FILE_VARIABLE = "REPORTBOT_CONFIG"
DEFAULT_CONFIG_FILE = "reportbot.toml"


class Settings(BaseSettings):
    """Everything an operator may set; environment variables override the TOML file."""

    model_config = SettingsConfigDict(env_prefix="REPORTBOT_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    default_timezone: str = "Asia/Ho_Chi_Minh"
    default_locale: str = "vi"
    default_report_day: int = 16
    invite_valid_days: int = 7
    # One folder per ward with its contacts and extra guides (docs/GUIDANCE.md).
    wards_dir: Path = Path("wards")
    sql_echo: bool = False

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
