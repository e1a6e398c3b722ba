"""The roll-up's settings (ZHIBU_ROLLUP_…, from the environment and .env): its own bot token, its name, the
counties it reads and its officers. The rest (the Bot API address, time zone, HTTP client) is the usual Settings.

    ZHIBU_ROLLUP_TOKEN=…                       the roll-up bot's own token (not a county's)
    ZHIBU_ROLLUP_NAME=某某市委组织部
    ZHIBU_ROLLUP_COUNTIES=anping,baixiang      counties/NAME.env names each one's database (zhibu-NAME.db if not)
    ZHIBU_ROLLUP_COUNTIES=anping=/srv/zhibu/anping.db,baixiang=postgresql://…   or the database named directly
    ZHIBU_ROLLUP_OFFICERS=10001,10002          Telegram ids of the roll-up's officers
    ZHIBU_ROLLUP_DRAFTS=/var/lib/zhibu/rollup-drafts.json   its tasks being drafted (zhibu-rollup-drafts.json)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.settings import COUNTY_NAME, Settings, SettingsError, load_settings


class RollupSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHIBU_ROLLUP_", env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore")

    token: SecretStr | None = None
    name: str = Field(default="市委组织部", min_length=1, max_length=40)
    counties: Annotated[tuple[str, ...], NoDecode] = ()
    officers: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    drafts: Path = Path("./zhibu-rollup-drafts.json")  # tasks previewed and not yet 发布: kept over a restart

    @field_validator("counties", mode="before")
    @classmethod
    def _county_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("officers", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
        if isinstance(value, int):
            return frozenset({value})
        return value

    def require_token(self) -> str:
        if self.token is None or not self.token.get_secret_value():
            raise SettingsError("ZHIBU_ROLLUP_TOKEN is not set: the roll-up bot needs a token of its own")
        return self.token.get_secret_value()

    def county_settings(self, base: Settings) -> list[tuple[str, Settings]]:
        """(county name, its settings) for each county, in the order configured: counties/NAME.env over .env, or
        the shared settings with the database named here."""
        if not self.counties:
            raise SettingsError("ZHIBU_ROLLUP_COUNTIES is empty: name the counties (anping,baixiang …)")
        found: list[tuple[str, Settings]] = []
        for item in self.counties:
            name, _, target = item.partition("=")
            if not COUNTY_NAME.fullmatch(name):
                raise SettingsError(f"ZHIBU_ROLLUP_COUNTIES: {name!r} is not a county name (e.g. anping)")
            if name in {n for n, _ in found}:
                raise SettingsError(f"ZHIBU_ROLLUP_COUNTIES: {name} is named twice")
            found.append((name, base.model_copy(update={"db": _target(target)}) if target else load_settings(name)))
        return found


def _target(text: str) -> Path | str:
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text)


def load_rollup() -> RollupSettings:
    try:
        return RollupSettings()
    except (ValidationError, ValueError) as exc:
        raise SettingsError(f"the roll-up's settings: {exc}") from exc
