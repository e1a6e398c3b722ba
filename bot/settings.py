"""Settings from the environment (prefix ZHIBU_) or a .env file, validated once at start."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org/bot"
TELEGRAM_FILES = "https://api.telegram.org/file/bot"


class Settings(BaseSettings):
    """Everything zhibu reads from its environment; see `.env.example` for the meaning of each."""

    model_config = SettingsConfigDict(
        env_prefix="ZHIBU_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr | None = None
    db: Path = Path("./zhibu.db")
    tz: str = "Asia/Shanghai"
    api_base_url: str = TELEGRAM_API
    api_file_url: str = TELEGRAM_FILES
    # NoDecode: pydantic-settings would otherwise expect JSON; a comma list is what people type.
    admins: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    log_level: str = "INFO"
    # How often the reminder engine drains its outbox, in seconds (the design asks for ≤ 30).
    drain_interval: float = Field(default=10.0, gt=0, le=30)
    # Messages per second the bot allows itself, evenly spaced; Telegram's limit is about 30. 0 turns the pacing
    # off (a local Bot API server, or measuring the bot's own speed in `zhibu bench updates`).
    send_rate: float = Field(default=30.0, ge=0, le=1000)
    # Seconds the bot waits for Telegram's answer to a request. A send that times out may still have arrived, so it
    # is not repeated blindly (see handlers/telegram/delivery.py); the longer the wait, the rarer that is.
    # Telegram normally answers within a second; 30 s leaves answers up to 20 s slow without a single duplicate.
    send_timeout: float = Field(default=30.0, gt=0, le=300)
    # The HTTP client under PTB: aiohttp (handlers/telegram/aiohttp_request.py) or httpx (PTB's own). `zhibu bench
    # http` measured aiohttp at 1.28–1.78× httpx's updates/s for 0.70× the CPU per update; httpx stays selectable.
    http_client: Literal["aiohttp", "httpx"] = "aiohttp"
    # Days the outbox keeps what it sent, skipped, expired or cancelled (failed rows stay for the digest).
    outbox_keep_days: int = Field(default=30, ge=1, le=3650)
    # Days an officer invitation link stays good (unused, and its issuer still an officer above the unit).
    officer_link_days: int = Field(default=7, ge=1, le=365)
    demo_host: str = "127.0.0.1"
    demo_port: int = Field(default=8080, ge=0, le=65535)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from exc
        return value

    @field_validator("admins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("expected comma-separated Telegram user ids, e.g. 1001,1002") from exc
        return value

    @field_validator("api_base_url", "api_file_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def require_token(self) -> str:
        """The bot token, or a SettingsError naming the missing setting."""
        if self.token is None or not self.token.get_secret_value().strip():
            raise SettingsError("ZHIBU_TOKEN is not set: get a token from @BotFather and put it in .env")
        return self.token.get_secret_value().strip()


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; turn pydantic's report into one line per bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = "ZHIBU_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
            msg = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {msg}")
        raise SettingsError("; ".join(lines)) from None
