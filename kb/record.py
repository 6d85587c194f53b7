"""Slotted record classes that cost next to nothing to define: kb's dataclasses.

``dataclasses.dataclass`` writes and compiles each class's methods when its module is imported:
about 1 ms for a frozen, slotted, keyword-only class, and a cold ``kb search`` imports some sixty
classes (60 ms, more than the search itself). ``record`` makes the slotted class at once and writes
its ``__init__`` the first time an instance is made, so a command pays only for the classes it
uses; equality, hashing and ``repr`` are shared functions over the fields (``operator.attrgetter``).

It takes the dataclass arguments kb uses (``frozen``, ``kw_only``; classes are always slotted) and
``field(default=..., default_factory=..., repr=..., compare=...)``; type checkers treat it as a
dataclass (PEP 681). ``replace`` and ``asdict`` stand in for their dataclasses namesakes.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing import dataclass_transform
else:  # typing costs a cold command several milliseconds; the decorator only matters to checkers

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda f: f


T = TypeVar("T")
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


class FrozenInstanceError(AttributeError):
    """Raised when a field of a frozen record is set or deleted."""


class Field:
    """A field's settings, as ``field()`` writes them in a class body."""

    __slots__ = ("name", "default", "default_factory", "repr", "compare")

    def __init__(self, default: Any, default_factory: Any, repr: bool, compare: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    repr: bool = True,  # noqa: A002 - the dataclasses name
    compare: bool = True,
) -> Any:
    """A field with a default value, or a factory called for each instance (``default_factory=list``)."""
    return Field(default, default_factory, repr, compare)


@overload
@dataclass_transform(field_specifiers=(field,))
def record(cls: type[T], /) -> type[T]: ...


@overload
@dataclass_transform(field_specifiers=(field,))
def record(
    *, frozen: bool = False, kw_only: bool = False, slots: bool = True
) -> Callable[[type[T]], type[T]]: ...


def record(
    cls: type[T] | None = None, /, *, frozen: bool = False, kw_only: bool = False, slots: bool = True
) -> Any:
    """Make ``cls`` a record: fields from its annotations, ``__slots__``, an ``__init__`` taking them
    (keyword-only with ``kw_only``), equality and ``repr`` over them; ``frozen`` forbids setting a
    field after ``__init__`` and makes instances hashable. ``slots`` is accepted for dataclass
    compatibility: records are always slotted."""

    def wrap(c: type[T]) -> type[T]:
        return _make(c, frozen=frozen, kw_only=kw_only)

    return wrap if cls is None else wrap(cls)


def _fields_of(cls: type) -> list[Field]:
    inherited: list[Field] = []
    for base in reversed(cls.__mro__[1:]):
        inherited.extend(getattr(base, "__record_fields__", ()))
    own: list[Field] = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if "ClassVar" in str(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(value, MISSING, True, True)
        f.name = name
        own.append(f)
    names = {f.name for f in own}
    return [f for f in inherited if f.name not in names] + own


def _make(cls: type[T], *, frozen: bool, kw_only: bool) -> type[T]:
    fields = _fields_of(cls)
    own = [name for name in cls.__dict__.get("__annotations__", {}) if any(f.name == name for f in fields)]
    inherited_slots = {s for base in cls.__mro__[1:] for s in getattr(base, "__slots__", ())}
    ns = {k: v for k, v in cls.__dict__.items() if k not in own and k not in ("__dict__", "__weakref__")}
    ns["__slots__"] = tuple(n for n in own if n not in inherited_slots)
    ns["__record_fields__"] = tuple(fields)
    ns["__record_frozen__"] = frozen
    compared = [f.name for f in fields if f.compare]
    ns["__record_key__"] = attrgetter(*compared) if compared else staticmethod(_no_key)
    ns.setdefault("__repr__", _repr)
    ns.setdefault("__eq__", _eq)
    if "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
        ns["__hash__"] = _hash if frozen else None  # as dataclasses: only frozen records hash
    ns.setdefault("__reduce__", _reduce)
    if frozen:
        ns["__setattr__"] = _frozen_setattr
        ns["__delattr__"] = _frozen_delattr
    meta: Any = type(cls)
    made: Any = meta(cls.__name__, cls.__bases__, ns)
    made.__qualname__ = cls.__qualname__

    def first_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _write_init(made, fields, frozen=frozen, kw_only=kw_only)
        made.__init__ = init  # what every later instance runs
        init(self, *args, **kwargs)

    if "__init__" not in cls.__dict__:
        made.__init__ = first_init
    return made  # type: ignore[no-any-return]


def _write_init(cls: type, fields: list[Field], *, frozen: bool, kw_only: bool) -> Callable[..., None]:
    """``__init__`` written out for the fields, as dataclasses writes it (compiled once per class)."""
    env: dict[str, Any] = {"MISSING": MISSING, "set": object.__setattr__}
    params: list[str] = []
    body: list[str] = []
    for f in fields:
        if f.default_factory is not MISSING:
            env[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=MISSING")
            value = f"_factory_{f.name}() if {f.name} is MISSING else {f.name}"
        elif f.default is not MISSING:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
            value = f.name
        else:
            params.append(f.name)
            value = f.name
        body.append(f"set(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    signature = ", ".join(["self", "*", *params] if kw_only and params else ["self", *params])
    source = f"def __init__({signature}):\n    " + ("\n    ".join(body) or "pass") + "\n"
    exec(source, env)  # noqa: S102 - source made from the class's own field names, as dataclasses does
    init: Callable[..., None] = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _no_key(_obj: Any) -> tuple[()]:
    return ()


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__ if f.repr)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key: Callable[[Any], Any] = self.__record_key__
    return key(self) == key(other)


def _hash(self: Any) -> int:
    return hash(self.__record_key__(self))


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _reduce(self: Any) -> tuple[Any, ...]:
    return _rebuild, (type(self), tuple(getattr(self, f.name) for f in self.__record_fields__))


def _rebuild(cls: type[T], values: tuple[Any, ...]) -> T:
    obj = object.__new__(cls)
    for f, value in zip(cls.__record_fields__, values, strict=True):  # type: ignore[attr-defined]
        object.__setattr__(obj, f.name, value)
    return obj


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of a record with some fields changed (``dataclasses.replace``)."""
    values = {f.name: getattr(obj, f.name) for f in obj.__record_fields__}  # type: ignore[attr-defined]
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__qualname__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(obj)(**values)


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record or record class, in order."""
    found: tuple[Field, ...] = obj.__record_fields__
    return found


def asdict(obj: Any) -> dict[str, Any]:
    """A record's fields as a dict, records inside it (and in lists, tuples, dicts) converted too."""
    return {f.name: _plain(getattr(obj, f.name)) for f in obj.__record_fields__}


def _plain(value: Any) -> Any:
    if hasattr(type(value), "__record_fields__"):
        return asdict(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
