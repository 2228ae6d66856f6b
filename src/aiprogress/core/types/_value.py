"""`value_type`: the frozen, slotted dataclass every value type is, with its equality, hash and
repr shared rather than written for each class.

`dataclass` writes each method of each class as source text and compiles it when the module is
imported: six methods for a frozen class. Importing the 32 value types here cost 174 million
instructions, most of them parsing and compiling those methods, about a tenth of an empty
`collect` (callgrind, issue 21). Equality, hash and repr need nothing of a class but its field
names, so here they are the same three functions for every class, over an `attrgetter` (which
builds in C the tuple that the written methods compare and hash): 48 million instructions
fewer. `dataclass` still writes `__init__`, the one method on a hot path, and the frozen
`__setattr__` and `__delattr__`; `fields`, `replace`, `asdict`, pickling and
`FrozenInstanceError` are those of any frozen dataclass (tests/core/test_value_types.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")


@overload
def value_type(cls: type[_T], /) -> type[_T]: ...


@overload
def value_type(*, kw_only: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def value_type(
    cls: type[_T] | None = None, /, *, kw_only: bool = False
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """`@dataclass(frozen=True, slots=True)`, with `kw_only` as there."""

    def wrap(cls: type[_T]) -> type[_T]:
        frozen = dataclasses.dataclass(
            frozen=True, slots=True, eq=False, repr=False, kw_only=kw_only
        )(cls)
        _add_value_methods(frozen)
        return frozen

    return wrap if cls is None else wrap(cls)


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A tuple of the named attributes, as `(self.a, self.b, ...)` in dataclass's methods."""
    if len(names) == 1:
        (name,) = names
        return lambda value: (getattr(value, name),)
    if not names:
        return lambda _value: ()
    return attrgetter(*names)


def _add_value_methods(cls: type[Any]) -> None:
    fields = dataclasses.fields(cls)
    compared = _values(tuple(field.name for field in fields if field.compare))
    hashed = _values(
        tuple(
            field.name for field in fields if (field.compare if field.hash is None else field.hash)
        )
    )
    shown = tuple(field.name for field in fields if field.repr)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    @recursive_repr()
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({inner})"

    for method in (__eq__, __hash__, __repr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
