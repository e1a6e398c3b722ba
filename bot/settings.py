"""Settings from the environment (prefix ZHIBU_) or a .env file, validated once at start."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org/bot"
TELEGRAM_FILES = "https://api.telegram.org/file/bot"
POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def _database(value: object) -> object:
    """ZHIBU_DB: a PostgreSQL URL stays text; anything else is the path of the SQLite file."""
    if isinstance(value, str) and value.startswith(POSTGRESQL_SCHEMES):
        return value
    return Path(value) if isinstance(value, str) else value


# Where the data is: an SQLite file (a path, the default) or a PostgreSQL database (postgresql://…).
DatabaseTarget = Annotated[Path | str, BeforeValidator(_database)]


class Settings(BaseSettings):
    """Everything zhibu reads from its environment; see `.env.example` for the meaning of each."""

    model_config = SettingsConfigDict(
        env_prefix="ZHIBU_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr | None = None
    db: DatabaseTarget = Path("./zhibu.db")
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
    # Messages per minute the bot allows itself into one group, evenly spaced (Telegram's limit is 20: one every 3 s).
    group_send_rate: float = Field(default=20.0, gt=0, le=60000)
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
    # Days a 民心墙 order's resident details (chat, words, phone, place, photos) are kept after it closes.
    wall_keep_days: int = Field(default=180, ge=1, le=3650)
    demo_host: str = "127.0.0.1"
    demo_port: int = Field(default=8080, ge=0, le=65535)
    # Webhook mode instead of long polling (a deployment behind a reverse proxy): the public HTTPS address Telegram
    # posts updates to, the local host:port the proxy forwards it to, and the secret Telegram sends with each update.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1:8443"
    webhook_secret: SecretStr | None = None
    # Notices (a branch's and an officer's, and their 催读) sent with allow_paid_broadcast: up to 1,000 a second
    # instead of 30, for 0.1 Telegram Star each from the bot's balance. Off by default; see README.
    paid_broadcast: bool = False

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

    @field_validator("webhook_url")
    @classmethod
    def _https_webhook(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        if value is not None and not value.startswith("https://"):
            raise ValueError("must start with https:// (Telegram posts only to HTTPS addresses)")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ValueError("must be host:port, e.g. 127.0.0.1:8443")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_chars(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1–256 characters of A–Z, a–z, 0–9, _ and -. Empty is unset.
        if value is not None and not value.get_secret_value():
            return None
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("1–256 characters of A–Z, a–z, 0–9, _ and - (Telegram's rule)")
        return value

    @property
    def on_postgresql(self) -> bool:
        return isinstance(self.db, str)

    @property
    def db_label(self) -> str:
        """ZHIBU_DB as logs may show it: a PostgreSQL URL without its password."""
        return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", self.db) if isinstance(self.db, str) else str(self.db)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def require_token(self) -> str:
        """The bot token, or a SettingsError naming the missing setting."""
        if self.token is None or not self.token.get_secret_value().strip():
            raise SettingsError("ZHIBU_TOKEN is not set: get a token from @BotFather and put it in .env")
        return self.token.get_secret_value().strip()

    def require_webhook_url(self) -> str:
        if not self.webhook_url:
            raise SettingsError("ZHIBU_WEBHOOK_URL is not set")
        return self.webhook_url

    def require_webhook_secret(self) -> str:
        """The webhook's secret: without one anyone who finds the address could post updates as anybody."""
        if self.webhook_secret is None:
            raise SettingsError("ZHIBU_WEBHOOK_SECRET is not set: webhook mode needs it (1–256 of A–Z a–z 0–9 _ -)")
        return self.webhook_secret.get_secret_value()

    def webhook_address(self) -> tuple[str, int]:
        host, _, port = self.webhook_listen.rpartition(":")
        return host.strip("[]"), int(port)


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


COUNTY_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
COUNTIES = Path("counties")  # counties/<name>.env, beside the shared .env


def load_settings(county: str | None = None, **overrides: object) -> Settings:
    """Read and validate the settings; turn pydantic's report into one line per bad setting.

    With a county (a deployment of many county bots), counties/<county>.env is read over .env: each county has its
    own token, database and root officers there, and a database not named there is zhibu-<county>.db, so no two
    counties ever share one by default."""
    env_files: tuple[Path, ...] = (Path(".env"),)
    if county is not None:
        if not COUNTY_NAME.fullmatch(county):
            raise SettingsError(f"--county {county!r}: lower-case letters, digits, _ and - (e.g. anping)")
        env_files += (COUNTIES / f"{county}.env",)
        if not env_files[-1].is_file():
            raise SettingsError(f"--county {county}: {env_files[-1]} not found (copy .env.example there)")
    try:
        settings = Settings(_env_file=env_files, **overrides)  # type: ignore[arg-type,call-arg]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = "ZHIBU_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
            msg = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {msg}")
        raise SettingsError("; ".join(lines)) from None
    if county is not None and "db" not in settings.model_fields_set:
        settings = settings.model_copy(update={"db": Path(f"zhibu-{county}.db")})
    return settings
