"""One `Settings` object, read from the environment and `.env`, passed down from the CLI.

Each section reads its own variables by their documented names (`DATABASE_URL`,
`TELEGRAM_BOT_TOKEN`, …). `.env.example` lists every one; a test keeps the two in step.

The sections are plain pydantic models filled by `Settings.load`, not pydantic-settings'
`BaseSettings`: that package cost every command about 40 ms of CPU and 6 MB to import and
25 ms to read eight sources per section (issue 21), for what is a dictionary lookup here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_core import PydanticCustomError

from aiprogress.core.types import Language


def _config() -> ConfigDict:
    return ConfigDict(extra="ignore", populate_by_name=True, validate_default=True)


class BaseSettings(BaseModel):
    """A section of the settings: its fields' `validation_alias`es are the variables' names."""

    model_config = _config()


def variables(env_file: Path | None) -> dict[str, str]:
    """The variables by upper-cased name (names are not case-sensitive): `env_file`'s, with the
    environment's over them. An empty value means "not set", in the environment and in `.env`
    alike: `.env.example` (and compose's `env_file`) lists optional settings as `NAME=`, which
    must read as the default, not as an empty token or an unparsable number."""
    found: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        from dotenv import dotenv_values

        for name, value in dotenv_values(env_file, encoding="utf-8").items():
            if value:
                found[name.upper()] = value
    for name, value in os.environ.items():
        if value:
            found[name.upper()] = value
    return found


def _id_set(listed: str) -> frozenset[str]:
    """The ids of a comma-separated list, blanks dropped ("1, 2," -> {"1", "2"})."""
    return frozenset(part.strip() for part in listed.split(",") if part.strip())


def _http_url_or_empty(value: str, example: str) -> str:
    """An API host setting (`*_API_BASE`): empty, or an http(s) URL, without a trailing slash.
    Checked when the settings load, so that a typo is one `invalid setting` line before
    anything starts, not a bot that retries a URL it can never reach."""
    try:
        parts = urlsplit(value)
        url = parts.scheme in ("http", "https") and bool(parts.hostname)
        url = url and parts.port != 0  # `port` raises for a port that is not a number
    except ValueError:
        url = False
    if value and not url:
        raise PydanticCustomError(
            "url", "must be an http:// or https:// URL, such as {example}", {"example": example}
        )
    return value.rstrip("/")


class DatabaseSettings(BaseSettings):
    model_config = _config()

    # A SecretStr because a PostgreSQL URL may carry a password.
    url: SecretStr = Field(SecretStr("sqlite:///aiprogress.db"), validation_alias="DATABASE_URL")
    auto_migrate: bool = Field(True, validation_alias="AIPROGRESS_AUTO_MIGRATE")


class TelegramSettings(BaseSettings):
    model_config = _config()

    bot_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_BOT_TOKEN")
    api_base: str = Field("", validation_alias="TELEGRAM_API_BASE")
    # Long polling when no webhook is set; false on all but one replica (one poll per bot).
    polling: bool = Field(True, validation_alias="TELEGRAM_POLLING")
    # Telegram user ids allowed to curate the sources (comma-separated).
    owner_ids: str = Field("", validation_alias="TELEGRAM_OWNER_IDS")
    # Webhook mode when set: Telegram calls this public HTTPS URL, served on host:port.
    webhook_url: str = Field("", validation_alias="TELEGRAM_WEBHOOK_URL")
    webhook_host: str = Field("127.0.0.1", validation_alias="TELEGRAM_WEBHOOK_HOST")
    webhook_port: int = Field(8081, ge=1, le=65535, validation_alias="TELEGRAM_WEBHOOK_PORT")
    webhook_secret: SecretStr | None = Field(None, validation_alias="TELEGRAM_WEBHOOK_SECRET")
    # Seconds between outbox runs while the bot is up.
    deliver_every: float = Field(30.0, gt=0, le=3600, validation_alias="AIPROGRESS_DELIVER_EVERY")

    @field_validator("api_base")
    @classmethod
    def _an_http_url(cls, value: str) -> str:
        return _http_url_or_empty(value, "https://api.telegram.org")

    @property
    def owners(self) -> frozenset[str]:
        return _id_set(self.owner_ids)


class DiscordSettings(BaseSettings):
    model_config = _config()

    bot_token: SecretStr | None = Field(None, validation_alias="DISCORD_BOT_TOKEN")
    # Another Discord API host (a REST proxy, or a test's fake Discord); empty: Discord's own.
    api_base: str = Field("", validation_alias="DISCORD_API_BASE")
    # Slash commands sync to this server at once (for testing); unset: globally (up to an hour).
    test_guild_id: int | None = Field(None, validation_alias="DISCORD_TEST_GUILD_ID")
    # Discord user ids (comma-separated) who curate sources besides Manage Server holders.
    owner_ids: str = Field("", validation_alias="DISCORD_OWNER_IDS")

    @field_validator("api_base")
    @classmethod
    def _an_http_url(cls, value: str) -> str:
        return _http_url_or_empty(value, "https://discord.com")

    @property
    def owners(self) -> frozenset[str]:
        return _id_set(self.owner_ids)


class LLMSettings(BaseSettings):
    model_config = _config()

    api_key: SecretStr | None = Field(None, validation_alias="OPENAI_API_KEY")
    base_url: str = Field("", validation_alias="OPENAI_BASE_URL")
    model: str = Field("", validation_alias="LLM_MODEL")
    fallback_model: str = Field("", validation_alias="LLM_FALLBACK_MODEL")
    # Tokens (prompt + completion) the writer may spend per UTC day; 0 means no limit.
    daily_token_budget: int = Field(200_000, ge=0, validation_alias="LLM_DAILY_TOKEN_BUDGET")
    timeout: float = Field(60.0, gt=0, le=600, validation_alias="LLM_TIMEOUT")
    max_retries: int = Field(2, ge=0, le=10, validation_alias="LLM_MAX_RETRIES")
    price_input_per_mtok: float | None = Field(
        None, ge=0, validation_alias="LLM_PRICE_INPUT_PER_MTOK"
    )
    price_output_per_mtok: float | None = Field(
        None, ge=0, validation_alias="LLM_PRICE_OUTPUT_PER_MTOK"
    )

    @property
    def configured(self) -> bool:
        return bool(self.model and (self.api_key or self.base_url))


class CollectorSettings(BaseSettings):
    model_config = _config()

    allow_private_urls: bool = Field(False, validation_alias="AIPROGRESS_ALLOW_PRIVATE_URLS")
    concurrency: int = Field(64, ge=1, le=1000, validation_alias="AIPROGRESS_FETCH_CONCURRENCY")
    per_host: int = Field(4, ge=1, le=100, validation_alias="AIPROGRESS_FETCH_PER_HOST")
    connect_timeout: float = Field(
        10.0, gt=0, le=300, validation_alias="AIPROGRESS_FETCH_CONNECT_TIMEOUT"
    )
    total_timeout: float = Field(30.0, gt=0, le=600, validation_alias="AIPROGRESS_FETCH_TIMEOUT")
    max_bytes: int = Field(10 * 1024 * 1024, ge=1024, validation_alias="AIPROGRESS_FETCH_MAX_BYTES")
    max_redirects: int = Field(5, ge=0, le=20, validation_alias="AIPROGRESS_FETCH_MAX_REDIRECTS")
    # Where feeds are parsed: on the event loop ("loop"; documents over 128 KB on a thread),
    # on a thread ("thread"), or in a worker process ("process"); the last two only where the
    # machine has a second core. bench/collect.py --whole-process runs each.
    parse_in: Literal["loop", "thread", "process"] = Field(
        "loop", validation_alias="AIPROGRESS_PARSE_IN"
    )


class DigestSettings(BaseSettings):
    model_config = _config()

    language: Language = Field(Language.RU, validation_alias="AIPROGRESS_LANGUAGE")
    max_items: int = Field(20, ge=1, le=200, validation_alias="AIPROGRESS_DIGEST_MAX_ITEMS")
    per_source: int = Field(5, ge=1, le=100, validation_alias="AIPROGRESS_DIGEST_PER_SOURCE")


class RunSettings(BaseSettings):
    model_config = _config()

    http_host: str = Field("127.0.0.1", validation_alias="AIPROGRESS_HTTP_HOST")
    # 0 turns the /healthz and /metrics endpoint off.
    http_port: int = Field(8080, ge=0, le=65535, validation_alias="AIPROGRESS_HTTP_PORT")
    collect_every: float = Field(60.0, gt=0, validation_alias="AIPROGRESS_COLLECT_EVERY")
    publish_every: float = Field(60.0, gt=0, validation_alias="AIPROGRESS_PUBLISH_EVERY")
    leader_every: float = Field(5.0, gt=0, validation_alias="AIPROGRESS_LEADER_EVERY")
    keep_days: int = Field(90, ge=1, validation_alias="AIPROGRESS_KEEP_DAYS")
    # Telegram messages per second from this process (Telegram allows about 30 in all: with N
    # processes, give each 28.5/N; 28.5 leaves ~50 ms of jitter before a 429).
    telegram_rate: float = Field(28.5, gt=0, validation_alias="AIPROGRESS_TELEGRAM_RATE")
    log_json: bool = Field(False, validation_alias="AIPROGRESS_LOG_JSON")
    # Seconds a claimed delivery stays with its process before another may take it over (the
    # claimer renews it with every message it sends).
    delivery_lease: float = Field(300.0, gt=0, validation_alias="AIPROGRESS_DELIVERY_LEASE")
    # Messages in flight at once from this process: a kill may double each of them.
    send_concurrency: int = Field(1, ge=1, le=64, validation_alias="AIPROGRESS_SEND_CONCURRENCY")


class Settings(BaseSettings):
    model_config = _config()

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    collector: CollectorSettings = Field(default_factory=CollectorSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    run: RunSettings = Field(default_factory=RunSettings)

    @classmethod
    def load(cls, env_file: Path | None = Path(".env")) -> Settings:
        """Read every section from the environment and `env_file` (environment wins)."""
        found = variables(env_file)
        sections: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            section = field.annotation
            if not (isinstance(section, type) and issubclass(section, BaseSettings)):
                raise TypeError(f"the settings' {name} is not a section")
            values = {
                alias: found[alias.upper()] for alias in _aliases(section) if alias.upper() in found
            }
            sections[name] = section.model_validate(values)
        return cls(**sections)


def _aliases(section: type[BaseSettings]) -> list[str]:
    return [
        field.validation_alias
        for field in section.model_fields.values()
        if isinstance(field.validation_alias, str)
    ]
