"""Settings: names, defaults, `.env`, and secrets kept out of sight."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiprogress.app.settings import (
    InvalidSetting,
    SecretStr,
    Settings,
    UnreadableEnvFile,
    read_env_file,
)

ENV_EXAMPLE = Path(__file__).parents[2] / ".env.example"


def documented() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def declared() -> dict[str, Any]:
    """Every variable the sections read, with its default."""
    return Settings().by_variable()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in declared():
        monkeypatch.delenv(name, raising=False)


def test_env_example_lists_every_variable_with_its_default(clean_env: None) -> None:
    example = documented()
    variables = declared()
    assert set(example) == set(variables)
    for name, default in variables.items():
        if isinstance(default, SecretStr):
            default = default.get_secret_value()
        shown = "" if default is None else str(getattr(default, "value", default)).lower()
        assert example[name].lower() == shown, name


def test_required_names_exist() -> None:
    assert {
        "DATABASE_URL",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE",
        "DISCORD_BOT_TOKEN",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "LLM_MODEL",
        "AIPROGRESS_ALLOW_PRIVATE_URLS",
    } <= set(declared())


def test_env_file_is_read_and_the_environment_wins(
    tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "TELEGRAM_BOT_TOKEN=123:from-file\nLLM_MODEL=from-file\nAIPROGRESS_ALLOW_PRIVATE_URLS=true\n"
    )
    monkeypatch.setenv("LLM_MODEL", "from-environment")
    settings = Settings.load(env_file)
    assert settings.telegram.bot_token is not None
    assert settings.telegram.bot_token.get_secret_value() == "123:from-file"
    assert settings.llm.model == "from-environment"
    assert settings.collector.allow_private_urls is True


def test_names_are_not_case_sensitive_and_the_file_may_quote(
    tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As pydantic-settings read them before issue 21: names in any case, dotenv's quoting.
    env_file = tmp_path / ".env"
    env_file.write_text('llm_model="quoted model"\nexport AIPROGRESS_KEEP_DAYS=7\n')
    monkeypatch.setenv("aiprogress_fetch_per_host", "9")
    settings = Settings.load(env_file)
    assert settings.llm.model == "quoted model"
    assert settings.run.keep_days == 7
    assert settings.collector.per_host == 9


def test_defaults(clean_env: None) -> None:
    settings = Settings.load(None)
    assert settings.database.url.get_secret_value() == "sqlite:///aiprogress.db"
    assert settings.telegram.bot_token is None
    assert settings.collector.allow_private_urls is False
    assert not settings.llm.configured


def test_secrets_do_not_show_in_repr(clean_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:very-secret-token")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:db-very-secret@db/aiprogress")
    settings = Settings.load(None)
    dumped = json.dumps(dataclasses.asdict(settings), default=str)
    logged = f"{settings} {settings.telegram.bot_token} {settings.database.url!r}"
    text = repr(settings) + str(settings) + dumped + logged
    assert "very-secret" not in text
    assert "**********" in repr(settings.llm.api_key) and str(SecretStr("")) == ""
    assert os.environ["OPENAI_API_KEY"] == "sk-very-secret"


# --- values read as pydantic 2 read them before issue 21 -------------------------------------

# (variable, value, what the setting holds): each as pydantic 2.13 gave it (lax mode).
READ_AS = [
    ("AIPROGRESS_FETCH_CONCURRENCY", " 5 ", 5),
    ("AIPROGRESS_FETCH_CONCURRENCY", "+1_0", 10),
    ("AIPROGRESS_FETCH_CONCURRENCY", "8.00", 8),
    ("AIPROGRESS_FETCH_CONCURRENCY", "007", 7),
    ("AIPROGRESS_FETCH_CONCURRENCY", "1000", 1000),
    ("DISCORD_TEST_GUILD_ID", " 1180000000000000100 ", 1180000000000000100),
    ("DISCORD_TEST_GUILD_ID", str(2**64 - 1), 2**64 - 1),
    ("TELEGRAM_OWNER_IDS", " 12, 0034,,", "12,34"),
    ("DISCORD_OWNER_IDS", "1180000000000000100", "1180000000000000100"),
    ("OPENAI_BASE_URL", "http://localhost:11434/v1/", "http://localhost:11434/v1"),
    ("AIPROGRESS_HTTP_HOST", "0.0.0.0", "0.0.0.0"),
    ("AIPROGRESS_HTTP_HOST", "::", "::"),
    ("AIPROGRESS_HTTP_HOST", "fe80::1%eth0", "fe80::1%eth0"),
    ("TELEGRAM_WEBHOOK_HOST", "app_1.internal", "app_1.internal"),
    ("TELEGRAM_WEBHOOK_HOST", "localhost", "localhost"),
    ("AIPROGRESS_HTTP_PORT", "0", 0),
    ("AIPROGRESS_AUTO_MIGRATE", "off", False),
    ("AIPROGRESS_AUTO_MIGRATE", "N", False),
    ("AIPROGRESS_AUTO_MIGRATE", "Yes", True),
    ("AIPROGRESS_AUTO_MIGRATE", "1", True),
    ("LLM_TIMEOUT", " 2.5\n", 2.5),
    ("LLM_TIMEOUT", "1e2", 100.0),
    ("LLM_TIMEOUT", "1_0", 10.0),
    ("LLM_TIMEOUT", ".5", 0.5),
    ("LLM_TIMEOUT", "600", 600.0),
    ("AIPROGRESS_COLLECT_EVERY", "inf", math.inf),
    ("LLM_PRICE_INPUT_PER_MTOK", "0", 0.0),
    ("AIPROGRESS_PARSE_IN", "process", "process"),
    ("AIPROGRESS_LANGUAGE", "en", "en"),
    ("TELEGRAM_API_BASE", "http://127.0.0.1:8081//", "http://127.0.0.1:8081"),
    ("LLM_MODEL", " spaced ", " spaced "),
]

INTEGER = "Input should be a valid integer, unable to parse string as an integer"
NUMBER = "Input should be a valid number, unable to parse string as a number"
# What a duration is counted in: pydantic's words alone did not say it.
SECONDS = " (a number of seconds, such as 60)"
BYTES = " (a number of bytes, such as 10485760 for 10 MiB)"
IDS = "numbers separated by commas, such as 123456789,987654321 (not @usernames)"
GUILD = (
    "must be a Discord server id, a number such as 123456789012345678 (Developer Mode: "
    "right-click the server, Copy Server ID)"
)
HOST = (
    "must be a host name or an IP address to listen on, such as 127.0.0.1 or 0.0.0.0, without "
    "a scheme or a port"
)

# (variable, value, what is wrong): pydantic 2.13's words, which `aiprogress` printed.
REFUSED = [
    ("AIPROGRESS_FETCH_CONCURRENCY", "many", INTEGER),
    ("AIPROGRESS_FETCH_CONCURRENCY", "1.5", INTEGER),
    ("AIPROGRESS_FETCH_CONCURRENCY", "1e2", INTEGER),
    ("AIPROGRESS_FETCH_CONCURRENCY", "1__0", INTEGER),
    ("AIPROGRESS_FETCH_CONCURRENCY", "١", INTEGER),
    ("AIPROGRESS_FETCH_CONCURRENCY", "0", "Input should be greater than or equal to 1"),
    ("AIPROGRESS_FETCH_CONCURRENCY", "1001", "Input should be less than or equal to 1000"),
    ("AIPROGRESS_FETCH_MAX_BYTES", "9" * 4301, "Unable to parse input string as an integer, exceeded maximum size" + BYTES),
    ("AIPROGRESS_FETCH_MAX_BYTES", "10MB", INTEGER + BYTES),
    ("TELEGRAM_WEBHOOK_PORT", "65536", "Input should be less than or equal to 65535"),
    ("AIPROGRESS_AUTO_MIGRATE", "maybe", "Input should be a valid boolean, unable to interpret input"),
    ("AIPROGRESS_AUTO_MIGRATE", " true", "Input should be a valid boolean, unable to interpret input"),
    ("LLM_TIMEOUT", "soon", NUMBER + SECONDS),
    ("LLM_TIMEOUT", "1__0", NUMBER + SECONDS),
    ("LLM_TIMEOUT", " 1_0", NUMBER + SECONDS),
    ("LLM_TIMEOUT", "0", "Input should be greater than 0" + SECONDS),
    ("LLM_TIMEOUT", "nan", "Input should be less than or equal to 600" + SECONDS),
    ("AIPROGRESS_COLLECT_EVERY", "nan", "Input should be greater than 0" + SECONDS),
    ("AIPROGRESS_COLLECT_EVERY", "5m", NUMBER + SECONDS),
    ("AIPROGRESS_DELIVERY_LEASE", "1h", NUMBER + SECONDS),
    ("AIPROGRESS_KEEP_DAYS", "3 months", INTEGER + " (a number of days, such as 90)"),
    ("LLM_PRICE_INPUT_PER_MTOK", "-1", "Input should be greater than or equal to 0"),
    ("LLM_PRICE_OUTPUT_PER_MTOK", "inf", "Input should be a finite number"),
    ("TELEGRAM_OWNER_IDS", "abc", "must be Telegram user ids, " + IDS),
    ("TELEGRAM_OWNER_IDS", "@someone", "must be Telegram user ids, " + IDS),
    ("TELEGRAM_OWNER_IDS", "12;34", "must be Telegram user ids, " + IDS),
    ("TELEGRAM_OWNER_IDS", "0", "must be Telegram user ids, " + IDS),
    ("TELEGRAM_OWNER_IDS", "-12", "must be Telegram user ids, " + IDS),
    ("DISCORD_OWNER_IDS", "4242,admin", "must be Discord user ids, " + IDS),
    ("DISCORD_TEST_GUILD_ID", "my server", GUILD),
    ("DISCORD_TEST_GUILD_ID", "0", GUILD),
    ("DISCORD_TEST_GUILD_ID", "-5", GUILD),
    ("DISCORD_TEST_GUILD_ID", str(2**64), GUILD),
    ("OPENAI_BASE_URL", "localhost:11434/v1", "must be an http:// or https:// URL, such as https://api.openai.com/v1"),
    ("AIPROGRESS_HTTP_HOST", "http://0.0.0.0", HOST),
    ("AIPROGRESS_HTTP_HOST", "0.0.0.0:8080", HOST),
    ("TELEGRAM_WEBHOOK_HOST", "my host", HOST),
    ("AIPROGRESS_PARSE_IN", "Loop", "Input should be 'loop', 'thread' or 'process'"),
    ("AIPROGRESS_LANGUAGE", "de", "Input should be 'ru' or 'en'"),
    ("DISCORD_API_BASE", "discord.com", "must be an http:// or https:// URL, such as https://discord.com"),
]  # fmt: skip


@pytest.mark.parametrize(("variable", "value", "held"), READ_AS)
def test_values_are_read_as_before(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, held: object
) -> None:
    monkeypatch.setenv(variable, value)
    assert Settings.load(None).by_variable()[variable] == held


@pytest.mark.parametrize(("variable", "value", "problem"), REFUSED)
def test_a_bad_value_is_named_without_it(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, problem: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidSetting) as refused:
        Settings.load(None)
    # The whole message: the value (which may be a secret) is not in it.
    assert str(refused.value) == f"invalid setting {variable}: {problem}"


# Settings that take any text: secrets and names only their service can judge, and the URLs
# checked when they are used (DATABASE_URL when the database opens, the webhook's with the
# bot's other settings when it starts). Every other variable refuses a value it cannot take.
FREE_TEXT = {
    "DATABASE_URL",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "DISCORD_BOT_TOKEN",
    "OPENAI_API_KEY",
    "LLM_MODEL",
    "LLM_FALLBACK_MODEL",
}


@pytest.mark.parametrize("variable", sorted(set(declared()) - FREE_TEXT))
def test_every_other_setting_refuses_a_value_it_cannot_take(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    # Neither a number, a yes or no, a choice, a list of ids, a host nor a URL.
    junk = "not a valid @value!"
    monkeypatch.setenv(variable, junk)
    with pytest.raises(InvalidSetting) as refused:
        Settings.load(None)
    assert refused.value.variable == variable
    assert str(refused.value).startswith(f"invalid setting {variable}: ")
    assert "valid @value" not in str(refused.value)


def test_the_first_bad_value_is_the_one_named(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sections in order, then each section's fields in order.
    monkeypatch.setenv("AIPROGRESS_HTTP_PORT", "x")
    monkeypatch.setenv("AIPROGRESS_FETCH_TIMEOUT", "x")
    monkeypatch.setenv("AIPROGRESS_FETCH_PER_HOST", "x")
    with pytest.raises(InvalidSetting, match="AIPROGRESS_FETCH_PER_HOST"):
        Settings.load(None)


# --- the shipped `.env.example`, as an operator uses it ------------------------------------

REPOSITORY = Path(__file__).parents[2]


def test_env_example_as_shipped_loads_as_the_defaults(clean_env: None) -> None:
    """`cp .env.example .env` must change nothing: each `NAME=` reads as "not set"."""
    assert Settings.load(ENV_EXAMPLE) == Settings.load(None)


def test_env_example_is_read_by_the_settings_own_reader_as_it_is_documented() -> None:
    """Read as the settings read `.env` (dotenv's rules, not the line split of `documented`):
    each variable once, with the name the settings read, and nothing that reader refuses."""
    read = read_env_file(ENV_EXAMPLE)
    names = [
        line.partition("=")[0]
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(names) == len(set(names))
    assert list(read) == names
    assert set(read) == set(declared())
    assert {name: value or "" for name, value in read.items()} == documented()


def _refusal(tmp_path: Path, text: str | bytes) -> str:
    env_file = tmp_path / ".env"
    if isinstance(text, str):
        text = text.encode("utf-8")
    env_file.write_bytes(text)
    with pytest.raises(UnreadableEnvFile) as refused:
        Settings.load(env_file)
    return str(refused.value)


LINE = "write it as NAME=value, a value with spaces or # in quotes closed on that line"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # "=" left out: dotenv skipped the line with a warning, and the token kept its default.
        ("LLM_MODEL=m\nTELEGRAM_BOT_TOKEN 123:very-secret\n", "line 2 of {} (TELEGRAM_BOT_TOKEN)"),
        # Blank lines before it: dotenv's own warning named the first blank line (line 2).
        ("LLM_MODEL=m\n\n\n  \nexport DATABASE_URL='very-secret\nLLM_MODEL=n\n", "line 5 of {} (DATABASE_URL)"),
        # A colon for "=": dotenv read a variable named "TELEGRAM_BOT_TOKEN:123".
        ("TELEGRAM_BOT_TOKEN:123:very-secret\n", "line 1 of {} (TELEGRAM_BOT_TOKEN)"),
        ("llm_model:=very-secret\n", "line 1 of {} (LLM_MODEL)"),
        # Not one of ours: still a line whose meaning is lost.
        ("A=1\r\nB=2\r\nvery-secret and more\r\n", "line 3 of {}"),
        ("\ufeffA=1\nB 'very-secret'\n", "line 2 of {}"),
    ],
)  # fmt: skip
def test_a_line_of_env_that_cannot_be_read_is_named_without_its_text(
    tmp_path: Path, clean_env: None, text: str, where: str
) -> None:
    assert _refusal(tmp_path, text) == f"cannot read {where.format(tmp_path / '.env')}: {LINE}"


def test_an_env_file_that_is_not_utf8_is_named_by_its_line(tmp_path: Path, clean_env: None) -> None:
    refusal = _refusal(tmp_path, b"A=1\nLLM_MODEL=caf\xe9\n")
    assert refusal == (
        f"cannot read line 2 of {tmp_path / '.env'}: it is not UTF-8 text: save the file as UTF-8"
    )


def test_what_dotenv_reads_is_read_as_before(
    tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Comments, quotes, `${NAME}` and a name with no "=" (compose passes the shell's value
    then, and so does the environment here) are read as `dotenv_values` read them."""
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# a comment\n"
        "HOST_PART=model\n"
        "LLM_MODEL=${HOST_PART}-x  # inline comment\n"
        'LLM_FALLBACK_MODEL="a # b"\n'
        "TELEGRAM_BOT_TOKEN\n"
        "AIPROGRESS_KEEP_DAYS = 7\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:from-the-shell")
    settings = Settings.load(env_file)
    assert (settings.llm.model, settings.llm.fallback_model) == ("model-x", "a # b")
    assert settings.telegram.bot_token == SecretStr("1:from-the-shell")
    assert settings.run.keep_days == 7


def test_a_name_of_ours_misspelled_in_env_is_a_warning_that_names_the_one_meant(
    tmp_path: Path, clean_env: None, caplog: pytest.LogCaptureFixture
) -> None:
    """A warning, not an error: a `.env` kept from another version may name a setting only that
    version read. Other programs' names (compose's, PostgreSQL's) are none of ours."""
    env_file = tmp_path / ".env"
    env_file.write_text(
        "COMPOSE_PROJECT_NAME=ai\nPOSTGRES_PASSWORD=x\nTELEGRAM_BOT_TOKN=1:very-secret\n"
        "openai_api_base=http://127.0.0.1:9/v1\nAIPROGRESS_SOMETHING_ELSE=1\n",
        encoding="utf-8",
    )
    with caplog.at_level("WARNING", logger="aiprogress.app.settings"):
        settings = Settings.load(env_file)
    assert settings.telegram.bot_token is None
    assert caplog.messages == [
        f"warning: line 3 of {env_file}: TELEGRAM_BOT_TOKN is not a setting aiprogress reads, "
        "and is ignored (did you mean TELEGRAM_BOT_TOKEN?)",
        f"warning: line 4 of {env_file}: OPENAI_API_BASE is not a setting aiprogress reads, "
        "and is ignored (did you mean OPENAI_BASE_URL?)",
        f"warning: line 5 of {env_file}: AIPROGRESS_SOMETHING_ELSE is not a setting aiprogress "
        "reads, and is ignored",
    ]
    assert "very-secret" not in caplog.text


def test_empty_environment_values_mean_not_set(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # compose's env_file and `export NAME=` pass empty strings through the environment.
    for name in ("TELEGRAM_BOT_TOKEN", "DISCORD_TEST_GUILD_ID", "LLM_PRICE_INPUT_PER_MTOK"):
        monkeypatch.setenv(name, "")
    settings = Settings.load(None)
    assert settings.telegram.bot_token is None
    assert settings.discord.test_guild_id is None
    assert settings.llm.price_input_per_mtok is None


def _shipped_env(tmp_path: Path) -> dict[str, str]:
    """A shell's environment with none of our variables, in a folder holding the shipped
    `.env.example` copied to `.env` byte for byte."""
    (tmp_path / ".env").write_bytes(ENV_EXAMPLE.read_bytes())
    ours = set(declared())
    return {name: value for name, value in os.environ.items() if name not in ours}


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (("db", "upgrade"), "database is at revision"),
        # No bot token: the digest goes to the console (a 59-line TokenValidationError before).
        (("run", "--once"), ""),
        (("collect",), "0 sources"),
        # The digest on stdout, "writer: builtin, no LLM, 0 tokens" on stderr.
        (("digest", "--dry-run"), ""),
        (("compare", "gpt-4o", "gpt-4.5"), "GPT-4o"),
    ],
)
def test_commands_run_with_env_example_copied_to_dotenv(
    tmp_path: Path, command: tuple[str, ...], expected: str
) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "aiprogress", *command],
        cwd=tmp_path,
        env=_shipped_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "error" not in completed.stderr.lower()
    assert "Traceback" not in completed.stderr
    assert expected in completed.stdout
    # The shipped DATABASE_URL is a SQLite file in the working folder.
    assert (tmp_path / "aiprogress.db").exists()


def test_compose_keeps_the_container_defaults_over_the_copied_env_file(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """compose passes `.env` (a copy of `.env.example`) and then its own `environment`, which
    wins. The container must listen on all interfaces and log JSON lines, as the Dockerfile
    intends, although the copied file says 127.0.0.1 and false for a local run."""
    compose = yaml.safe_load((REPOSITORY / "compose.yaml").read_text(encoding="utf-8"))
    dockerfile = (REPOSITORY / "Dockerfile").read_text(encoding="utf-8")
    for service in ("migrate", "app"):
        spec = compose["services"][service]
        assert spec["env_file"] == ".env"
        for name, value in documented().items():
            monkeypatch.setenv(name, value)
        # An operator's edit for a local run, where 8080 was taken.
        monkeypatch.setenv("AIPROGRESS_HTTP_PORT", "8095")
        for name, value in spec["environment"].items():
            monkeypatch.setenv(name, str(value))
        settings = Settings.load(None)
        assert settings.database.url.get_secret_value().startswith("postgresql://")
        assert settings.telegram.bot_token is None
        if service == "app":
            assert settings.run.http_host == "0.0.0.0"
            # The port compose publishes and the image's HEALTHCHECK asks.
            assert settings.run.http_port == 8080
            assert spec["ports"] == ["8080"]
            assert "127.0.0.1:8080/healthz" in dockerfile
            assert settings.telegram.webhook_host == "0.0.0.0"
            assert settings.run.log_json is True
            assert settings.database.auto_migrate is False
    assert "AIPROGRESS_HTTP_HOST=0.0.0.0" in dockerfile


@pytest.mark.parametrize(
    ("parse_in", "in_process", "inline_bytes"),
    [("loop", False, 128 * 1024), ("thread", False, 0), ("process", True, 128 * 1024)],
)
def test_where_feeds_are_parsed_sets_the_fetchers_limits(
    clean_env: None,
    monkeypatch: pytest.MonkeyPatch,
    parse_in: str,
    in_process: bool,
    inline_bytes: int,
) -> None:
    from aiprogress.app.wiring import fetch_limits

    monkeypatch.setenv("AIPROGRESS_PARSE_IN", parse_in)
    limits = fetch_limits(Settings.load(None))
    if len(os.sched_getaffinity(0)) < 2:
        # One core: a thread or a worker would only take turns with the loop.
        in_process, inline_bytes = False, 128 * 1024
    assert (limits.parse_process, limits.inline_parse_bytes) == (in_process, inline_bytes)
    # A document's limits check goes to the parser thread only beside a second core.
    assert limits.check_on_thread is (len(os.sched_getaffinity(0)) > 1)
