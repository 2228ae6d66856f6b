"""What the tests that run `aiprogress` as a process (or its settings in process) share: a free
loopback port, and an environment with none of our settings but the ones a test gives."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

# Every prefix of a variable the program reads: a developer's own settings must not leak in.
OUR_PREFIXES = ("AIPROGRESS_", "DATABASE_", "TELEGRAM_", "DISCORD_", "OPENAI_", "LLM_")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The process's environment without our settings, on a SQLite file in `tmp_path`, its HTTP
    port chosen by the system, then `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OUR_PREFIXES)}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}", AIPROGRESS_HTTP_PORT="0")
    env.update(settings)
    return env


def clear_our_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """For a test that reads settings in this process: none of ours from the environment."""
    for name in list(os.environ):
        if name.startswith(OUR_PREFIXES):
            monkeypatch.delenv(name)
