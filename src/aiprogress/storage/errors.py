"""Translation of database failures into the application's error tree."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError

from aiprogress.core.errors import StorageError


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn SQLAlchemy's and the drivers' errors into `StorageError`."""
    try:
        yield
    except SQLAlchemyError as exc:
        # Only the driver's message: SQLAlchemy's full text would carry the bound parameters.
        detail = exc.args[0] if exc.args else ""
        raise StorageError(f"database error: {type(exc).__name__}: {detail}") from exc
    except OSError as exc:
        # asyncpg raises plain OSError subclasses when the server cannot be reached.
        raise StorageError(f"database unreachable: {exc.strerror or exc}") from exc
