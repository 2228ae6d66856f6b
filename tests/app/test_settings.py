"""Settings: names, defaults, `.env`, and secrets kept out of sight."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from aiprogress.app.settings import BaseSettings, Settings

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
    found: dict[str, Any] = {}
    for section in Settings.model_fields.values():
        section_type = section.annotation
        assert isinstance(section_type, type) and issubclass(section_type, BaseSettings)
        for field in section_type.model_fields.values():
            assert isinstance(field.validation_alias, str)
            found[field.validation_alias] = field.default
    return found


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
    text = repr(settings) + str(settings) + settings.model_dump_json()
    assert "very-secret" not in text
    assert os.environ["OPENAI_API_KEY"] == "sk-very-secret"


# --- the shipped `.env.example`, as an operator uses it ------------------------------------

REPOSITORY = Path(__file__).parents[2]


def test_env_example_as_shipped_loads_as_the_defaults(clean_env: None) -> None:
    """`cp .env.example .env` must change nothing: each `NAME=` reads as "not set"."""
    assert Settings.load(ENV_EXAMPLE).model_dump() == Settings.load(None).model_dump()


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
