"""kb.record behaves as the dataclasses kb used before it: fields, defaults, frozen, equality,
hashing, pickling (records cross from import workers to the writer), replace and asdict."""

from __future__ import annotations

import copy
import pickle
from typing import ClassVar

import pytest

from kb.models import FoundFact, PostRecord, SectionSpan
from kb.record import FrozenInstanceError, asdict, field, fields, record, replace


@record(frozen=True, kw_only=True)
class Visit:
    """A frozen, keyword-only record."""

    city: str
    people: int = 0
    notes: list[str] = field(default_factory=list, compare=False)
    hidden: str = field(default="", repr=False)
    KIND: ClassVar[str] = "visit"


@record(slots=True)
class Counter:
    """A mutable, positional record with a property."""

    name: str
    count: int = 1

    @property
    def label(self) -> str:
        return f"{self.name}:{self.count}"


def test_fields_defaults_and_factories() -> None:
    a, b = Visit(city="台北市"), Visit(city="台北市")
    assert (a.city, a.people, a.notes, a.hidden) == ("台北市", 0, [], "")
    a.notes.append("メモ")
    assert b.notes == []  # one list per instance
    assert [f.name for f in fields(Visit)] == ["city", "people", "notes", "hidden"]
    assert Visit.KIND == "visit" and "KIND" not in Visit.__slots__  # type: ignore[attr-defined]


def test_keyword_only_and_positional() -> None:
    with pytest.raises(TypeError):
        Visit("台北市")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Visit()  # type: ignore[call-arg]
    c = Counter("視察", 3)
    assert (c.name, c.count, c.label) == ("視察", 3, "視察:3")
    assert Counter("視察") == Counter(name="視察", count=1)


def test_frozen_records_refuse_changes_and_hash() -> None:
    v = Visit(city="高雄市", people=5)
    with pytest.raises(FrozenInstanceError):
        v.people = 6  # type: ignore[misc]
    with pytest.raises(AttributeError):
        v.extra = 1  # type: ignore[attr-defined]
    assert hash(v) == hash(Visit(city="高雄市", people=5, notes=["違っても"]))  # notes: compare=False
    assert {v, Visit(city="高雄市", people=5)} == {v}


def test_mutable_records_change_and_do_not_hash() -> None:
    c = Counter("説明")
    c.count += 1
    assert c.count == 2
    with pytest.raises(TypeError):
        hash(c)
    with pytest.raises(AttributeError):
        c.other = 1  # type: ignore[attr-defined]  # slotted: no stray attributes


def test_equality_is_by_class_and_fields() -> None:
    assert Visit(city="台中市") != Visit(city="台南市")
    assert Counter("台中市") != Visit(city="台中市")  # type: ignore[comparison-overlap]
    assert Visit(city="台中市", notes=["a"]) == Visit(city="台中市", notes=["b"])


def test_repr_shows_fields_but_hidden_ones() -> None:
    text = repr(Visit(city="新竹市", hidden="秘密"))
    assert text.startswith("Visit(city='新竹市', people=0") and "秘密" not in text


def test_pickle_copy_replace_and_asdict() -> None:
    v = Visit(city="基隆市", people=2, notes=["港"])
    for again in (pickle.loads(pickle.dumps(v)), copy.copy(v), copy.deepcopy(v)):
        assert again == v and again.notes == ["港"] and type(again) is Visit
    w = replace(v, people=3)
    assert (w.city, w.people, v.people) == ("基隆市", 3, 2)
    with pytest.raises(TypeError):
        replace(v, size=1)
    assert asdict(v) == {"city": "基隆市", "people": 2, "notes": ["港"], "hidden": ""}


def test_kb_models_round_trip_through_pickle() -> None:
    span = SectionSpan(heading="◆見出し", start=1, end=3)
    assert pickle.loads(pickle.dumps(span)) == span
    record_fields = {f.name for f in fields(PostRecord)}
    assert {"uid", "title", "passages", "facts", "words"} <= record_fields
    assert "sentence" in {f.name for f in fields(FoundFact)}
