"""`value_type`: the frozen, slotted dataclass every value type is, with the methods that
`dataclass` would write and compile for each class shared or written on first use.

`dataclass` writes each method of each class as source text and compiles it when the module is
imported: six methods for a frozen class, and it asks `inspect` for a signature to make the
docstring of a class without one. Importing the 32 value types that way cost 174 million
instructions, about a tenth of an empty `collect` (callgrind, issue 21). Here `dataclass` only
gathers the fields (`init=False`, `frozen=False`) and makes the class slotted; then

- equality, hash and repr are the same three functions for every class, over an `attrgetter`
  (which builds in C the tuple that the written methods compare and hash);
- the frozen `__setattr__` and `__delattr__` and pickling's `__getstate__` and `__setstate__`
  are closures made for each class, not compiled;
- `__init__`, the one method on a hot path, is written as `dataclass` writes it (each field set,
  then `__post_init__`), but compiled the first time the class is called: a command compiles
  those of the classes it makes, not all 32; and each field is set through its slot's own
  setter rather than `object.__setattr__`, which looks the slot up by name each time (a
  ten-field `__init__` 1.6 µs → 1.0 µs; every 304 of a collect builds about six value types).

`fields`, `replace`, `asdict`, pickling and `FrozenInstanceError` are those of any frozen
dataclass (tests/core/test_value_types.py). Fields with `init=False` and `InitVar`s are refused:
no value type needs them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from types import MemberDescriptorType
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")

_MISSING: Any = dataclasses.MISSING


class _Factory:
    """The default of a parameter whose field has a `default_factory`: the factory is called."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


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
        documented = bool(cls.__doc__)
        if not documented:
            cls.__doc__ = cls.__name__  # for now: `dataclass` would call `inspect.signature`
        made: type[_T] = dataclasses.dataclass(
            init=False, repr=False, eq=False, frozen=False, slots=True, kw_only=kw_only
        )(cls)
        fields = dataclasses.fields(made)  # type: ignore[arg-type]
        _check_fields(made, fields)
        if not documented:
            made.__doc__ = f"{made.__name__}({', '.join(field.name for field in fields)})"
        _add_value_methods(made, fields)
        _add_frozen_methods(made, fields)
        _add_lazy_init(made)
        return made

    return wrap if cls is None else wrap(cls)


def _check_fields(cls: type[Any], fields: tuple[dataclasses.Field[Any], ...]) -> None:
    """What `dataclass` checks when it writes `__init__`, and what ours cannot write."""
    listed = {field.name for field in fields}
    for name, field in cls.__dataclass_fields__.items():
        if name not in listed and _is_init_var(field.type):
            raise TypeError(f"{cls.__qualname__}.{name}: a value type takes no InitVar")
    seen_default = False
    for field in fields:
        if not field.init:
            raise TypeError(f"{cls.__qualname__}.{field.name}: a value type's fields are all init")
        if field.name == "self" or field.name.startswith("__"):
            raise TypeError(f"{cls.__qualname__}: no value type's field may be named {field.name}")
        if field.kw_only:
            continue
        if field.default is not _MISSING or field.default_factory is not _MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {field.name!r} follows default argument")


def _is_init_var(annotation: object) -> bool:
    if isinstance(annotation, str):  # `from __future__ import annotations`
        return "InitVar" in annotation
    return annotation is dataclasses.InitVar or isinstance(annotation, dataclasses.InitVar)


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A tuple of the named attributes, as `(self.a, self.b, ...)` in dataclass's methods."""
    if len(names) == 1:
        (name,) = names
        return lambda value: (getattr(value, name),)
    if not names:
        return lambda _value: ()
    return attrgetter(*names)


def _name_methods(cls: type[Any], *methods: Callable[..., Any]) -> None:
    for method in methods:
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)


def _add_value_methods(cls: type[Any], fields: tuple[dataclasses.Field[Any], ...]) -> None:
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

    _name_methods(cls, __eq__, __hash__, __repr__)


def _add_frozen_methods(cls: type[Any], fields: tuple[dataclasses.Field[Any], ...]) -> None:
    """Those `dataclass(frozen=True)` writes: assigning or deleting a field raises
    `FrozenInstanceError`, and pickling sets the fields through `object.__setattr__`."""
    names = tuple(field.name for field in fields)
    frozen = frozenset(names)
    set_field = object.__setattr__

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in frozen:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in frozen:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=False):
            set_field(self, name, value)

    _name_methods(cls, __setattr__, __delattr__, __getstate__, __setstate__)


def _add_lazy_init(cls: type[Any]) -> None:
    """An `__init__` that writes and compiles the class's own on its first call, puts it in
    its place and runs it."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _written_init(cls)
        cls.__init__ = init
        init(self, *args, **kwargs)

    _name_methods(cls, __init__)


def _slot(cls: type[Any], name: str) -> MemberDescriptorType | None:
    """The slot that holds the field `name` on `cls` or the class it inherits the field from."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if found is not None:
            return found if isinstance(found, MemberDescriptorType) else None
    return None


def _written_init(cls: type[Any]) -> Callable[..., None]:
    """The `__init__` that `dataclass(frozen=True)` writes: parameters in its order (keyword-only
    ones last), each field set (`object.__setattr__`'s effect, through the slot's setter), then
    `__post_init__` if any."""
    namespace: dict[str, Any] = {"__set": object.__setattr__, "__factory": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for field in dataclasses.fields(cls):
        name = field.name
        parameter = name
        if field.default is not _MISSING:
            namespace[f"__default_{name}"] = field.default
            parameter = f"{name}=__default_{name}"
        elif field.default_factory is not _MISSING:
            namespace[f"__make_{name}"] = field.default_factory
            parameter = f"{name}=__factory"
            body.append(f"if {name} is __factory: {name} = __make_{name}()")
        (keyword if field.kw_only else positional).append(parameter)
        slot = _slot(cls, name)
        if slot is None:
            body.append(f"__set(self, {name!r}, {name})")
        else:
            namespace[f"__set_{name}"] = slot.__set__
            body.append(f"__set_{name}(self, {name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    parameters = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    lines = "\n".join(f"    {line}" for line in body or ["pass"])
    exec(f"def __init__({parameters}) -> None:\n{lines}\n", namespace)  # noqa: S102
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init
