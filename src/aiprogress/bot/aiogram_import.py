"""aiogram imported with its Telegram types left unbuilt until they are used (issue 21).

aiogram's types are declared `defer_build=True`, but `aiogram/types/__init__.py` ends with a loop
that calls `model_rebuild(_types_namespace=...)` on all ~400 of them, so each builds its whole
validator tree at import (aiogram issue #1513): `import aiogram` alone peaks at 169 MB and takes
3-4 s of CPU with pydantic 2.13, most of the service's memory. Importing this module first
imports aiogram with that loop's calls only recording the namespace: the import peaks at ~60 MB.

Then every type that stays deferred, every method model that could not be built at its class
statement, and `Response` (whose `Response[X]` the session builds for each method's result) get
that namespace as their `__pydantic_parent_namespace__`: a deferred model builds itself on first
use through pydantic's `model_rebuild(raise_errors=False, ...)`, and a nested deferred model is
resolved with the *root's* namespace, while aiogram imports the names its annotations use only
under TYPE_CHECKING. `Update` and every type a method returns are built at once, as aiogram
would: they are what the bot validates first, and built before `Response[X]` and the methods
that nest them, their schemas are reused instead of each root inlining its own copy (~75 MB in
all, against ~170).

Import aiogram in our code only after this module (the Telegram modules import it first). If
aiogram is already imported, or a newer aiogram stops calling `model_rebuild` that way, nothing
changes: aiogram builds its types as it always did.
"""

from __future__ import annotations

import sys
import typing
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel


def _returned_types(returning: object) -> Iterator[object]:
    """A method's `__returning__` and what it is made of: `list[Update]` gives both."""
    yield returning
    for argument in typing.get_args(returning):
        yield from _returned_types(argument)


def _import_deferred() -> dict[type[BaseModel], dict[str, Any]]:
    """Imports aiogram with its types' rebuild loop recording instead of building: each type
    that the loop left deferred, with the namespace the loop gave it (one dict for all)."""
    deferred: dict[type[BaseModel], dict[str, Any]] = {}
    original = BaseModel.__dict__["model_rebuild"]

    def model_rebuild(
        cls: type[BaseModel],
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Mapping[str, Any] | None = None,
    ) -> bool | None:
        if (
            _types_namespace is not None
            and not force
            and cls.__module__.startswith("aiogram.types.")
            and not cls.__pydantic_complete__
        ):
            deferred[cls] = (
                _types_namespace if isinstance(_types_namespace, dict) else dict(_types_namespace)
            )
            return None
        return original.__func__(  # type: ignore[no-any-return]
            cls,
            force=force,
            raise_errors=raise_errors,
            # One frame more than the caller meant: this function's own.
            _parent_namespace_depth=_parent_namespace_depth + 1 if _parent_namespace_depth else 0,
            _types_namespace=_types_namespace,
        )

    BaseModel.model_rebuild = classmethod(model_rebuild)  # type: ignore[assignment, method-assign]
    try:
        import aiogram  # noqa: F401
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]
    return deferred


def _complete(deferred: Mapping[type[BaseModel], dict[str, Any]]) -> None:
    """Gives the deferred models, the unbuilt methods and `Response` the types' namespace, and
    builds `Update` and the types that methods return."""
    from aiogram import methods
    from aiogram.methods.base import Response
    from aiogram.types import Update

    namespace = next(iter(deferred.values()))
    for model, types_namespace in deferred.items():
        model.__pydantic_parent_namespace__ = types_namespace
    method_models = [
        model
        for model in (getattr(methods, name) for name in methods.__all__)
        if isinstance(model, type) and issubclass(model, BaseModel)
    ]
    for model in method_models:
        if not model.__pydantic_complete__:
            model.__pydantic_parent_namespace__ = namespace
    Response.__pydantic_parent_namespace__ = namespace

    roots: dict[object, None] = {Update: None}
    for model in method_models:
        roots.update(dict.fromkeys(_returned_types(getattr(model, "__returning__", None))))
    for root in roots:
        if isinstance(root, type) and issubclass(root, BaseModel) and root in deferred:
            root.model_rebuild(_types_namespace=deferred[root])


def _import_aiogram() -> None:
    if "aiogram.types" in sys.modules:  # imported before us: built as aiogram builds it
        return
    deferred = _import_deferred()
    if deferred:  # else this aiogram built its types itself
        _complete(deferred)


_import_aiogram()
