"""Value types (core/types/_value.py) behave as `@dataclass(frozen=True, slots=True)` does:
the same equality, hash and repr, frozen, slotted, and `fields`, `replace` and pickling as any
dataclass. Their equality, hash and repr are shared functions instead of code that dataclass
writes and compiles for each class at import, their frozen methods closures, and their
`__init__` is written as dataclass writes it on a class's first call (issue 21)."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import dataclass, field

import pytest

from aiprogress.core.types import Digest, Language, Period, Source, SourceKind, TrustTier
from aiprogress.core.types._value import value_type


@value_type
class Pair:
    name: str
    score: float | None = None
    tags: tuple[str, ...] = ()
    note: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class StdPair:
    name: str
    score: float | None = None
    tags: tuple[str, ...] = ()
    note: str = field(default="", compare=False, repr=False)


@value_type
class One:
    name: str


@value_type
class Nothing:
    pass


@value_type
class Node:
    label: str
    children: list[Node]


@pytest.mark.parametrize(
    "values",
    [
        {"name": "a"},
        {"name": "a", "score": 1.5, "tags": ("x", "y")},
        {"name": "a", "score": float("nan")},
        {"name": "a", "note": "not compared"},
    ],
)
def test_equality_hash_and_repr_are_dataclass_s(values: dict[str, object]) -> None:
    ours, theirs = Pair(**values), StdPair(**values)  # type: ignore[arg-type]
    assert repr(ours) == repr(theirs).replace("StdPair", "Pair")
    assert hash(ours) == hash(theirs)
    same = Pair(**values)  # type: ignore[arg-type]
    assert (ours == same) == (theirs == StdPair(**values))  # type: ignore[arg-type]
    assert ours == ours


def test_fields_not_compared_are_left_out_of_equality_and_hash() -> None:
    assert Pair("a", note="x") == Pair("a", note="y")
    assert hash(Pair("a", note="x")) == hash(Pair("a", note="y"))
    assert Pair("a") != Pair("b")
    assert Pair("a", 1.0) != Pair("a", 2.0)


def test_another_class_is_never_equal() -> None:
    other: object = StdPair("a")
    assert Pair("a") != other
    assert Pair("a").__eq__(other) is NotImplemented
    same_values: object = ("a",)
    assert One("a") != same_values


def test_one_field_and_no_field() -> None:
    assert One("a") == One("a") and One("a") != One("b")
    assert hash(One("a")) == hash(("a",))
    assert repr(One("a")) == "One(name='a')"
    assert Nothing() == Nothing() and hash(Nothing()) == hash(()) and repr(Nothing()) == "Nothing()"


def test_a_value_that_holds_itself_has_a_repr() -> None:
    node = Node("root", [])
    node.children.append(node)
    assert repr(node) == "Node(label='root', children=[...])"


def test_frozen_slotted_and_a_dataclass() -> None:
    pair = Pair("a", 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pair.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del pair.name
    assert not hasattr(pair, "__dict__")
    assert dataclasses.is_dataclass(pair)
    assert [f.name for f in dataclasses.fields(pair)] == ["name", "score", "tags", "note"]
    assert dataclasses.replace(pair, score=2.0) == Pair("a", 2.0)
    assert dataclasses.asdict(pair) == {"name": "a", "score": 1.0, "tags": (), "note": ""}
    assert pickle.loads(pickle.dumps(pair)) == pair  # noqa: S301 (our own bytes)


def test_the_types_keep_their_shape(source: Source) -> None:
    digest = Digest(
        id=1,
        created_at=source.created_at,
        period=Period.DAY,
        language=Language.EN,
        window_start=source.created_at,
        window_end=source.created_at,
        title="t",
        body="b",
        item_ids=(1,),
        writer="builtin",
    )
    # Keyword-only fields of a subclass come last, as dataclass orders them.
    assert [f.name for f in dataclasses.fields(digest)][-2:] == ["id", "created_at"]
    assert digest == dataclasses.replace(digest) and digest != dataclasses.replace(digest, id=2)
    assert repr(source).startswith("Source(id=7, url='https://example.org/feed', ")
    assert {source: 1}[dataclasses.replace(source)] == 1


@pytest.fixture
def source() -> Source:
    from datetime import UTC, datetime

    return Source(
        id=7,
        url="https://example.org/feed",
        name="Example",
        kind=SourceKind.FEED,
        trust_tier=TrustTier.PAPER,
        enabled=True,
        created_at=datetime(2026, 12, 6, tzinfo=UTC),
    )


@value_type(kw_only=True)
class Keyed:
    name: str
    tags: list[str] = field(default_factory=list)


@value_type
class Checked:
    low: int
    high: int = 10

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


@dataclass(frozen=True, slots=True)
class StdChecked:
    low: int
    high: int = 10


def _shape(cls: type[object]) -> list[tuple[str, object, object]]:
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(vars(cls)["__init__"]).parameters.values()
    ]


def test_init_is_dataclass_s_once_written() -> None:
    # The first call writes the class's own `__init__`; its parameters are dataclass's.
    assert Checked(1) == Checked(1, 10) == Checked(low=1, high=10)
    assert _shape(Checked) == _shape(StdChecked)
    with pytest.raises(ValueError, match="low above high"):
        Checked(11)
    with pytest.raises(TypeError):
        Checked()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Checked(1, 2, 3)  # type: ignore[call-arg]


def test_keyword_only_fields_and_default_factories() -> None:
    first, second = Keyed(name="a"), Keyed(name="a")
    assert first.tags == [] and first.tags is not second.tags
    assert Keyed(name="b", tags=["x"]).tags == ["x"]
    assert [(name, kind) for name, kind, _ in _shape(Keyed)] == [
        ("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        ("name", inspect.Parameter.KEYWORD_ONLY),
        ("tags", inspect.Parameter.KEYWORD_ONLY),
    ]
    with pytest.raises(TypeError):
        Keyed("a")  # type: ignore[call-arg]


def test_a_class_without_a_docstring_gets_its_fields_as_one() -> None:
    @value_type
    class Fresh:
        name: str
        score: float = 0.0

    assert Fresh.__doc__ == "Fresh(name, score)"
    assert Pair.__doc__ == "Pair(name, score, tags, note)"


def test_what_dataclass_refuses_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @value_type
        class Misordered:
            a: int = 0
            b: int  # type: ignore[misc]

    with pytest.raises(ValueError, match="mutable default"):

        @value_type
        class Mutable:
            a: list[int] = []  # noqa: RUF012


@value_type
class _Base:
    a: int
    b: str = "b"


@value_type
class _Derived(_Base):
    c: float = 0.5


def test_fields_a_value_type_inherits_are_set_through_the_base_class_slots() -> None:
    # `__init__` sets each field through the slot that holds it, the base class's for `a`
    # and `b`: the same values, equality and freezing as dataclass's `object.__setattr__`.
    derived = _Derived(1, "x", 2.0)
    assert (derived.a, derived.b, derived.c) == (1, "x", 2.0)
    assert derived == _Derived(1, "x", 2.0) != _Derived(1, "x")
    assert dataclasses.replace(derived, a=3) == _Derived(3, "x", 2.0)
    assert pickle.loads(pickle.dumps(derived)) == derived  # noqa: S301 (our own bytes)
    with pytest.raises(dataclasses.FrozenInstanceError):
        derived.a = 2  # type: ignore[misc]
    assert _Base(1) == _Base(1, "b") and _Base(1).b == "b"
