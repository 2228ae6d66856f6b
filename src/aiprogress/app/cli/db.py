"""`aiprogress db ...`: the database schema."""

# No `from __future__ import annotations` here: see the package's docstring (Typer reads
# every command's signature on every run).

import typer

from aiprogress.app.cli._common import _run, _settings, open_store, out

db_app = typer.Typer(
    help="Database schema. Exits 1 when the database cannot be opened (one `error:` line).",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the latest revision. Exits 1 when the database
    is at a revision newer than this aiprogress knows (a newer version upgraded it)."""
    from aiprogress.storage.migrate import current_revision, upgrade

    settings = _settings()

    async def work() -> str | None:
        async with open_store(settings, migrate=False) as store:
            # A database a newer aiprogress upgraded is refused there, in one line.
            await upgrade(store.engine)
            return await current_revision(store.engine)

    revision = _run(work)
    out.print(f"database is at revision {revision}", markup=False)
