"""One `Settings` object, read from the environment and `.env`, passed down from the CLI.

Each section reads its own variables by their documented names (`DATABASE_URL`,
`TELEGRAM_BOT_TOKEN`, …). `.env.example` lists every one; a test keeps the two in step.

The sections are plain dataclasses filled by `Settings.load`, each value read from its string
as pydantic read it before issue 21 (the same values accepted, the same one-line errors):
importing pydantic, building the sections' schemas and its plugin loader's scan of every
installed distribution cost every command ~0.13 s of CPU, for what is a dictionary lookup and a
number or two here. `InvalidSetting` names the variable and what is wrong, never its value;
every setting that is not free text (a secret, a model's name) is checked here, so that a set-up
mistake stops each command in one line rather than leaving a setting at its default or failing
later. A line of `.env` that cannot be read is one too (`UnreadableEnvFile`), by its number.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Literal, Self, TypeVar
from urllib.parse import urlsplit

from aiprogress.core.errors import ConfigError
from aiprogress.core.types import Language

T = TypeVar("T")


class SecretStr:
    """A secret (a token, a key, a database URL that may hold a password): `**********` in
    its repr and str, hence in logs and error messages; the value only through
    `get_secret_value()`. As pydantic's SecretStr, which it replaces."""

    __slots__ = ("_secret_value",)

    def __init__(self, value: str) -> None:
        self._secret_value = value

    def get_secret_value(self) -> str:
        return self._secret_value

    def __str__(self) -> str:
        return "**********" if self._secret_value else ""

    def __repr__(self) -> str:
        return f"SecretStr('{self}')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretStr) and other._secret_value == self._secret_value

    def __hash__(self) -> int:
        return hash(self._secret_value)

    def __len__(self) -> int:
        return len(self._secret_value)


class InvalidSetting(ConfigError):
    """A variable holds a value it cannot take: "invalid setting NAME: what is wrong". The
    value itself is left out on purpose: it may be a secret."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"invalid setting {variable}: {problem}")
        self.variable = variable
        self.problem = problem


class _Invalid(ValueError):
    """What is wrong with a value, in pydantic's words (the variable is named by the caller)."""


class UnreadableEnvFile(InvalidSetting):
    """The `.env` file, or a line of it, that cannot be read: "cannot read line 15 of .env
    (TELEGRAM_BOT_TOKEN): …". python-dotenv skips a line it cannot parse (`NAME value` without
    "=", a quote left open) with a warning of its own, and the setting on it would silently
    keep its default: the admin's token or DATABASE_URL would not apply. Refused instead, by
    file and line number, and by the variable's name when the line starts with one of ours;
    never the line's text, which may hold a secret. An `InvalidSetting`, so that whatever
    reports a bad setting (`command_frame.load_settings`) reports this too."""

    def __init__(self, where: str, problem: str, variable: str = "") -> None:
        ConfigError.__init__(self, f"cannot read {where}: {problem}")
        self.variable = variable
        self.problem = problem


# What a line of `.env` must be; said when one is not.
_LINE_FORMAT = "write it as NAME=value, a value with spaces or # in quotes closed on that line"
# A variable's name as a shell (and this program) takes one, at the start of a statement.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STATEMENT_NAME = re.compile(r"(?:export[^\S\r\n]+)?([A-Za-z_][A-Za-z0-9_]*)")


def variables(env_file: Path | None) -> dict[str, str]:
    """The variables by upper-cased name (names are not case-sensitive): `env_file`'s, with the
    environment's over them. An empty value means "not set", in the environment and in `.env`
    alike: `.env.example` (and compose's `env_file`) lists optional settings as `NAME=`, which
    must read as the default, not as an empty token or an unparsable number. A line of
    `env_file` that cannot be read raises `UnreadableEnvFile`."""
    found: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        for name, value in read_env_file(env_file).items():
            if value:
                found[name.upper()] = value
    for name, value in os.environ.items():
        if value:
            found[name.upper()] = value
    return found


def read_env_file(env_file: Path) -> dict[str, str | None]:
    """`env_file`'s variables as python-dotenv's `dotenv_values` reads them (`${NAME}`
    expanded), but refusing what it would skip with a warning."""
    from dotenv.main import resolve_variables
    from dotenv.parser import parse_stream

    try:
        data = env_file.read_bytes()
    except OSError as error:
        raise UnreadableEnvFile(str(env_file), error.strerror or type(error).__name__) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableEnvFile(
            f"line {line} of {env_file}", "it is not UTF-8 text: save the file as UTF-8"
        ) from None
    known = _known_variables()
    bindings: list[tuple[str, str | None]] = []
    for binding in parse_stream(io.StringIO(text)):
        statement = binding.original.string
        # dotenv counts a statement from the blank lines before it: its own line is after them.
        line = binding.original.line + statement[: len(statement) - len(statement.lstrip())].count(
            "\n"
        )
        named = _STATEMENT_NAME.match(statement.lstrip())
        variable = named[1].upper() if named is not None and named[1].upper() in known else ""
        # A key that is not a name but starts with one of ours (`TELEGRAM_BOT_TOKEN:123:abc`,
        # `DATABASE_URL:=…`): dotenv takes it for a variable of that odd name, and ours would
        # keep its default.
        odd_key = binding.key is not None and not _NAME.fullmatch(binding.key) and variable
        if binding.error or odd_key:
            where = f"line {line} of {env_file}" + (f" ({variable})" if variable else "")
            raise UnreadableEnvFile(where, _LINE_FORMAT, variable)
        if binding.key is not None:
            bindings.append((binding.key, binding.value))
            if binding.key.upper().startswith(_OUR_PREFIXES) and binding.key.upper() not in known:
                _warn_unknown(env_file, line, binding.key.upper(), known)
    return dict(resolve_variables(bindings, override=True))


# The prefixes of the variables the settings read: a name in `.env` with one of them that is
# not one of ours is most likely a typo of one (its setting silently at its default).
_OUR_PREFIXES = ("AIPROGRESS_", "DATABASE_", "TELEGRAM_", "DISCORD_", "OPENAI_", "LLM_")
# Names other programs read for one of ours, where the closest spelling would mislead.
_OTHER_NAMES = {"OPENAI_API_BASE": "OPENAI_BASE_URL", "OPENAI_MODEL": "LLM_MODEL"}


def _warn_unknown(env_file: Path, line: int, name: str, known: frozenset[str]) -> None:
    """A warning, not an error: a `.env` kept from another version may name a setting that
    version read, and the service should still start. Logged before logging is set up, it is
    the bare line on stderr (logging's last resort), as dotenv's own warnings were."""
    import difflib
    import logging

    meant = _OTHER_NAMES.get(name) or next(
        iter(difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.85)), None
    )
    logging.getLogger(__name__).warning(
        "warning: line %d of %s: %s is not a setting aiprogress reads, and is ignored%s",
        line,
        env_file,
        name,
        f" (did you mean {meant}?)" if meant else "",
    )


# --- reading one value from its string, as pydantic 2 did (lax mode) ---------------------------

# Stripped around numbers: Unicode's White_Space (Rust's `trim`), which Python's `strip()`
# exceeds by four control characters (\x1c-\x1f).
_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
# An integer: a sign, ASCII digits with single underscores between them, and a fractional part
# of zeros only ("8.0"); over 4,300 digits (Python's limit) it is refused with its own message.
_INTEGER = re.compile(r"[+-]?[0-9](?:_?[0-9])*(?:\.0+)?", re.ASCII)
_LEADING_DIGITS = re.compile(r"[+-]?([0-9](?:_?[0-9])*)(?!_)", re.ASCII)
# A number as Rust's f64 parser reads it. Underscores are dropped when the string is not one
# without them and has none first, last or doubled; whitespace is stripped, but not with them.
_NUMBER = re.compile(
    r"[+-]?(?:inf|infinity|nan|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)",
    re.ASCII | re.IGNORECASE,
)
_TRUE = frozenset({"1", "t", "y", "on", "yes", "true"})
_FALSE = frozenset({"0", "f", "n", "no", "off", "false"})


def _boolean(value: str) -> bool:
    word = value.lower() if value.isascii() else value
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Invalid("Input should be a valid boolean, unable to interpret input")


def _parse_integer(value: str) -> int:
    text = value.strip(_SPACE)
    leading = _LEADING_DIGITS.match(text)
    if leading is not None and len(leading[1].replace("_", "")) > 4300:
        raise _Invalid("Unable to parse input string as an integer, exceeded maximum size")
    if not _INTEGER.fullmatch(text):
        raise _Invalid("Input should be a valid integer, unable to parse string as an integer")
    return int(text.partition(".")[0])


def _parse_number(value: str) -> float:
    text = value.strip(_SPACE)
    if not _NUMBER.fullmatch(text) and not (
        value.startswith("_") or value.endswith("_") or "__" in value
    ):
        text = value.replace("_", "")
    if _NUMBER.fullmatch(text):
        return float(text)
    raise _Invalid("Input should be a valid number, unable to parse string as a number")


def _within(number: float, ge: float | None, gt: float | None, le: float | None) -> None:
    # In pydantic's order, and with its comparisons: NaN fails each bound it is held to.
    if le is not None and not number <= le:
        raise _Invalid(f"Input should be less than or equal to {le}")
    if ge is not None and not number >= ge:
        raise _Invalid(f"Input should be greater than or equal to {ge}")
    if gt is not None and not number > gt:
        raise _Invalid(f"Input should be greater than {gt}")


def _integer(
    *, ge: int | None = None, gt: int | None = None, le: int | None = None
) -> Callable[[str], int]:
    def read(value: str) -> int:
        number = _parse_integer(value)
        _within(number, ge, gt, le)
        return number

    return read


def _number(
    *, ge: int | None = None, gt: int | None = None, le: int | None = None, finite: bool = False
) -> Callable[[str], float]:
    def read(value: str) -> float:
        number = _parse_number(value)
        if finite and not math.isfinite(number):
            raise _Invalid("Input should be a finite number")
        _within(number, ge, gt, le)
        return number

    return read


def _counted_in(unit: str, read: Callable[[str], T]) -> Callable[[str], T]:
    """`read`, whose refusal says what the number counts: "5m" for seconds is refused as
    not a number, which alone does not say that "300" is what was wanted."""

    def reading(value: str) -> T:
        try:
            return read(value)
        except _Invalid as exc:
            raise _Invalid(f"{exc} ({unit})") from None

    return reading


_SECONDS = "a number of seconds, such as 60"


def _one_of(choices: Mapping[str, T]) -> Callable[[str], T]:
    quoted = [f"'{name}'" for name in choices]
    expected = f"{', '.join(quoted[:-1])} or {quoted[-1]}"

    def read(value: str) -> T:
        try:
            return choices[value]
        except KeyError:
            raise _Invalid(f"Input should be {expected}") from None

    return read


def _http_url(example: str) -> Callable[[str], str]:
    """An API host setting (`*_API_BASE`): an http(s) URL, kept without a trailing slash.
    Checked when the settings load, so that a typo is one `invalid setting` line before
    anything starts, not a bot that retries a URL it can never reach."""

    def read(value: str) -> str:
        try:
            parts = urlsplit(value)
            url = parts.scheme in ("http", "https") and bool(parts.hostname)
            url = url and parts.port != 0  # `port` raises for a port that is not a number
        except ValueError:
            url = False
        if not url:
            raise _Invalid(f"must be an http:// or https:// URL, such as {example}")
        return value.rstrip("/")

    return read


# A host to listen on: a name (a container's may hold "_"), an IPv4 address, or an IPv6 one.
_HOST_NAME = re.compile(
    r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?"
)
# An IPv6 address has two colons at least: "0.0.0.0:8080" is a host and a port.
_IPV6 = re.compile(r"(?=(?:[^:]*:){2})[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?")


def _listen_host(value: str) -> str:
    """Where a server listens: a host name or an IP address, not a URL or host:port, which
    would fail only when the server starts (and the port has a setting of its own)."""
    if not (_HOST_NAME.fullmatch(value) or _IPV6.fullmatch(value)):
        raise _Invalid(
            "must be a host name or an IP address to listen on, such as 127.0.0.1 or 0.0.0.0, "
            "without a scheme or a port"
        )
    return value


def _user_ids(platform: str) -> Callable[[str], str]:
    """A comma-separated list of a platform's user ids (numbers), read as `"1,2"`: blanks
    dropped, leading zeros too, so that each is written as the platform sends it. Refused
    otherwise: a name or an @username would never match anyone, and nobody could curate."""

    def read(value: str) -> str:
        ids = [part.strip() for part in value.split(",") if part.strip()]
        if not all(each.isascii() and each.isdigit() and int(each) > 0 for each in ids):
            raise _Invalid(
                f"must be {platform} user ids, numbers separated by commas, such as "
                "123456789,987654321 (not @usernames)"
            )
        return ",".join(str(int(each)) for each in ids)

    return read


def _discord_id(value: str) -> int:
    """A Discord id (a snowflake): a positive number of 64 bits."""
    text = value.strip()
    if not (text.isascii() and text.isdigit() and 0 < int(text) < 2**64):
        raise _Invalid(
            "must be a Discord server id, a number such as 123456789012345678 (Developer "
            "Mode: right-click the server, Copy Server ID)"
        )
    return int(text)


def _text(value: str) -> str:
    return value


def _env(variable: str, read: Callable[[str], Any]) -> dict[str, Any]:
    """A section field's metadata: it is read from `variable`, when set and not empty, by
    `read`; else it keeps its default."""
    return {"variable": variable, "read": read}


def _id_set(listed: str) -> frozenset[str]:
    """The ids of a comma-separated list, blanks dropped ("1, 2," -> {"1", "2"})."""
    return frozenset(part.strip() for part in listed.split(",") if part.strip())


# --- the sections -----------------------------------------------------------------------------


class _Fields:
    """A dataclass's `__init__` (keyword arguments), repr and `==`, written once here: made by
    `@dataclass` they are compiled from source for each of the nine classes at every start-up,
    three quarters of what making the classes costs (~2 ms of CPU). Subclasses are
    `@dataclass(init=False, repr=False, eq=False)`."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def __init__(self, **values: Any) -> None:
        for each in fields(self):
            if each.name in values:
                value = values.pop(each.name)
            elif each.default_factory is not MISSING:
                value = each.default_factory()
            else:
                value = each.default
            setattr(self, each.name, value)
        if values:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(values)}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{each.name}={getattr(self, each.name)!r}" for each in fields(self))
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(self))


class Section(_Fields):
    """A section of the settings: each field's metadata (`_env`) names its variable and
    how its value is read."""

    @classmethod
    def read(cls, found: Mapping[str, str]) -> Self:
        """The section from `found` (upper-cased names); its first bad value (in the fields'
        order) raises `InvalidSetting`."""
        values: dict[str, Any] = {}
        for setting in fields(cls):
            variable: str = setting.metadata["variable"]
            value = found.get(variable)
            if value is not None:
                try:
                    values[setting.name] = setting.metadata["read"](value)
                except _Invalid as exc:
                    raise InvalidSetting(variable, str(exc)) from None
        return cls(**values)

    def by_variable(self) -> dict[str, Any]:
        """The section's variables by name, with this section's values."""
        return {s.metadata["variable"]: getattr(self, s.name) for s in fields(self)}


@dataclass(init=False, repr=False, eq=False)
class DatabaseSettings(Section):
    # A secret because a PostgreSQL URL may carry a password.
    url: SecretStr = field(
        default=SecretStr("sqlite:///aiprogress.db"),
        metadata=_env("DATABASE_URL", SecretStr),
    )
    auto_migrate: bool = field(default=True, metadata=_env("AIPROGRESS_AUTO_MIGRATE", _boolean))


@dataclass(init=False, repr=False, eq=False)
class TelegramSettings(Section):
    bot_token: SecretStr | None = field(
        default=None, metadata=_env("TELEGRAM_BOT_TOKEN", SecretStr)
    )
    api_base: str = field(
        default="",
        metadata=_env("TELEGRAM_API_BASE", _http_url("https://api.telegram.org")),
    )
    # Long polling when no webhook is set; false on all but one replica (one poll per bot).
    polling: bool = field(default=True, metadata=_env("TELEGRAM_POLLING", _boolean))
    # Telegram user ids allowed to curate the sources (comma-separated).
    owner_ids: str = field(default="", metadata=_env("TELEGRAM_OWNER_IDS", _user_ids("Telegram")))
    # Webhook mode when set: Telegram calls this public HTTPS URL, served on host:port.
    # Checked with the webhook's other settings when a bot starts (`startup_checks`).
    webhook_url: str = field(default="", metadata=_env("TELEGRAM_WEBHOOK_URL", _text))
    webhook_host: str = field(
        default="127.0.0.1", metadata=_env("TELEGRAM_WEBHOOK_HOST", _listen_host)
    )
    webhook_port: int = field(
        default=8081, metadata=_env("TELEGRAM_WEBHOOK_PORT", _integer(ge=1, le=65535))
    )
    webhook_secret: SecretStr | None = field(
        default=None, metadata=_env("TELEGRAM_WEBHOOK_SECRET", SecretStr)
    )
    # Seconds between outbox runs while the bot is up.
    deliver_every: float = field(
        default=30.0,
        metadata=_env("AIPROGRESS_DELIVER_EVERY", _counted_in(_SECONDS, _number(gt=0, le=3600))),
    )

    @property
    def owners(self) -> frozenset[str]:
        return _id_set(self.owner_ids)


@dataclass(init=False, repr=False, eq=False)
class DiscordSettings(Section):
    bot_token: SecretStr | None = field(default=None, metadata=_env("DISCORD_BOT_TOKEN", SecretStr))
    # Another Discord API host (a REST proxy, or a test's fake Discord); empty: Discord's own.
    api_base: str = field(
        default="", metadata=_env("DISCORD_API_BASE", _http_url("https://discord.com"))
    )
    # Slash commands sync to this server at once (for testing); unset: globally (up to an hour).
    test_guild_id: int | None = field(
        default=None, metadata=_env("DISCORD_TEST_GUILD_ID", _discord_id)
    )
    # Discord user ids (comma-separated) who curate sources besides Manage Server holders.
    owner_ids: str = field(default="", metadata=_env("DISCORD_OWNER_IDS", _user_ids("Discord")))

    @property
    def owners(self) -> frozenset[str]:
        return _id_set(self.owner_ids)


@dataclass(init=False, repr=False, eq=False)
class LLMSettings(Section):
    api_key: SecretStr | None = field(default=None, metadata=_env("OPENAI_API_KEY", SecretStr))
    base_url: str = field(
        default="",
        metadata=_env("OPENAI_BASE_URL", _http_url("https://api.openai.com/v1")),
    )
    model: str = field(default="", metadata=_env("LLM_MODEL", _text))
    fallback_model: str = field(default="", metadata=_env("LLM_FALLBACK_MODEL", _text))
    # Tokens (prompt + completion) the writer may spend per UTC day; 0 means no limit.
    daily_token_budget: int = field(
        default=200_000, metadata=_env("LLM_DAILY_TOKEN_BUDGET", _integer(ge=0))
    )
    timeout: float = field(
        default=60.0, metadata=_env("LLM_TIMEOUT", _counted_in(_SECONDS, _number(gt=0, le=600)))
    )
    max_retries: int = field(default=2, metadata=_env("LLM_MAX_RETRIES", _integer(ge=0, le=10)))
    price_input_per_mtok: float | None = field(
        default=None, metadata=_env("LLM_PRICE_INPUT_PER_MTOK", _number(ge=0, finite=True))
    )
    price_output_per_mtok: float | None = field(
        default=None, metadata=_env("LLM_PRICE_OUTPUT_PER_MTOK", _number(ge=0, finite=True))
    )

    @property
    def configured(self) -> bool:
        return bool(self.model and (self.api_key or self.base_url))


ParseIn = Literal["loop", "thread", "process"]
_PARSE_IN: dict[str, ParseIn] = {
    "loop": "loop",
    "thread": "thread",
    "process": "process",
}


@dataclass(init=False, repr=False, eq=False)
class CollectorSettings(Section):
    allow_private_urls: bool = field(
        default=False, metadata=_env("AIPROGRESS_ALLOW_PRIVATE_URLS", _boolean)
    )
    concurrency: int = field(
        default=64,
        metadata=_env("AIPROGRESS_FETCH_CONCURRENCY", _integer(ge=1, le=1000)),
    )
    per_host: int = field(
        default=4, metadata=_env("AIPROGRESS_FETCH_PER_HOST", _integer(ge=1, le=100))
    )
    connect_timeout: float = field(
        default=10.0,
        metadata=_env(
            "AIPROGRESS_FETCH_CONNECT_TIMEOUT", _counted_in(_SECONDS, _number(gt=0, le=300))
        ),
    )
    total_timeout: float = field(
        default=30.0,
        metadata=_env("AIPROGRESS_FETCH_TIMEOUT", _counted_in(_SECONDS, _number(gt=0, le=600))),
    )
    max_bytes: int = field(
        default=10 * 1024 * 1024,
        metadata=_env(
            "AIPROGRESS_FETCH_MAX_BYTES",
            _counted_in("a number of bytes, such as 10485760 for 10 MiB", _integer(ge=1024)),
        ),
    )
    max_redirects: int = field(
        default=5,
        metadata=_env("AIPROGRESS_FETCH_MAX_REDIRECTS", _integer(ge=0, le=20)),
    )
    # Where feeds are parsed: on the event loop ("loop"; documents over 128 KB on a thread),
    # on a thread ("thread"), or in a worker process ("process"); the last two only where the
    # machine has a second core. bench/collect.py --whole-process runs each.
    parse_in: ParseIn = field(
        default="loop", metadata=_env("AIPROGRESS_PARSE_IN", _one_of(_PARSE_IN))
    )


@dataclass(init=False, repr=False, eq=False)
class DigestSettings(Section):
    language: Language = field(
        default=Language.RU,
        metadata=_env("AIPROGRESS_LANGUAGE", _one_of({str(lang): lang for lang in Language})),
    )
    max_items: int = field(
        default=20, metadata=_env("AIPROGRESS_DIGEST_MAX_ITEMS", _integer(ge=1, le=200))
    )
    per_source: int = field(
        default=5, metadata=_env("AIPROGRESS_DIGEST_PER_SOURCE", _integer(ge=1, le=100))
    )


@dataclass(init=False, repr=False, eq=False)
class RunSettings(Section):
    http_host: str = field(default="127.0.0.1", metadata=_env("AIPROGRESS_HTTP_HOST", _listen_host))
    # 0 turns the /healthz and /metrics endpoint off.
    http_port: int = field(
        default=8080, metadata=_env("AIPROGRESS_HTTP_PORT", _integer(ge=0, le=65535))
    )
    collect_every: float = field(
        default=60.0,
        metadata=_env("AIPROGRESS_COLLECT_EVERY", _counted_in(_SECONDS, _number(gt=0))),
    )
    publish_every: float = field(
        default=60.0,
        metadata=_env("AIPROGRESS_PUBLISH_EVERY", _counted_in(_SECONDS, _number(gt=0))),
    )
    leader_every: float = field(
        default=5.0, metadata=_env("AIPROGRESS_LEADER_EVERY", _counted_in(_SECONDS, _number(gt=0)))
    )
    keep_days: int = field(
        default=90,
        metadata=_env(
            "AIPROGRESS_KEEP_DAYS", _counted_in("a number of days, such as 90", _integer(ge=1))
        ),
    )
    # Telegram messages per second from this process (Telegram allows about 30 in all: with N
    # processes, give each 28.5/N; 28.5 leaves ~50 ms of jitter before a 429).
    telegram_rate: float = field(
        default=28.5, metadata=_env("AIPROGRESS_TELEGRAM_RATE", _number(gt=0))
    )
    log_json: bool = field(default=False, metadata=_env("AIPROGRESS_LOG_JSON", _boolean))
    # Seconds a claimed delivery stays with its process before another may take it over (the
    # claimer renews it with every message it sends).
    delivery_lease: float = field(
        default=300.0,
        metadata=_env("AIPROGRESS_DELIVERY_LEASE", _counted_in(_SECONDS, _number(gt=0))),
    )
    # Messages in flight at once from this process: a kill may double each of them.
    send_concurrency: int = field(
        default=1, metadata=_env("AIPROGRESS_SEND_CONCURRENCY", _integer(ge=1, le=64))
    )


@dataclass(init=False, repr=False, eq=False)
class Settings(_Fields):
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    collector: CollectorSettings = field(default_factory=CollectorSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    run: RunSettings = field(default_factory=RunSettings)

    @classmethod
    def load(cls, env_file: Path | None = Path(".env")) -> Settings:
        """Read every section from the environment and `env_file` (environment wins); the first
        bad value raises `InvalidSetting`."""
        found = variables(env_file)
        return cls(
            database=DatabaseSettings.read(found),
            telegram=TelegramSettings.read(found),
            discord=DiscordSettings.read(found),
            llm=LLMSettings.read(found),
            collector=CollectorSettings.read(found),
            digest=DigestSettings.read(found),
            run=RunSettings.read(found),
        )

    def by_variable(self) -> dict[str, Any]:
        """Every variable the settings read, by name, with its value here (with `Settings()`,
        its default)."""
        found: dict[str, Any] = {}
        for section in fields(self):
            found.update(getattr(self, section.name).by_variable())
        return found


def _known_variables() -> frozenset[str]:
    """Every variable the sections read."""
    sections = (
        DatabaseSettings,
        TelegramSettings,
        DiscordSettings,
        LLMSettings,
        CollectorSettings,
        DigestSettings,
        RunSettings,
    )
    return frozenset(each.metadata["variable"] for cls in sections for each in fields(cls))
