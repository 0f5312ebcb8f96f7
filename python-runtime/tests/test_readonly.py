"""Read-only resources: real dicts/lists for reading, refuse every mutation, copies are plain."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest

from posture_engine.readonly import ReadOnlyDict, ReadOnlyList, freeze


def sample() -> dict[str, Any]:
    return {"Name": "b", "Tags": {"env": "prod"}, "Grants": [{"Permission": "READ"}], "N": None}


def test_reading_works_like_a_dict() -> None:
    data = sample()
    view = freeze(data)
    assert isinstance(view, ReadOnlyDict) and isinstance(view, dict)
    assert isinstance(view["Grants"], list) and isinstance(view["Grants"][0], dict)
    assert view["Name"] == "b" and view.get("missing") is None and view.get("N", 1) is None
    assert "Tags" in view and "nope" not in view and len(view) == 4
    assert list(view) == list(data) and list(reversed(view)) == list(reversed(data))
    assert view == data and data == view and view != {"Name": "b"}
    assert view["Tags"] == {"env": "prod"} and view["Grants"] == [{"Permission": "READ"}]
    assert [g["Permission"] for g in view["Grants"]] == ["READ"]
    assert dict(view)["Name"] == "b" and dict(view.items()) == data
    assert json.loads(json.dumps(view)) == data
    assert json.dumps(view, sort_keys=True) == json.dumps(data, sort_keys=True)
    assert view["Grants"][0:1] == [{"Permission": "READ"}] and view["Grants"][-1] == view["Grants"][0]
    assert view["Grants"] + [1] == [{"Permission": "READ"}, 1]
    assert {"Permission": "READ"} in view["Grants"]
    assert view | {"x": 1} == {**data, "x": 1}
    assert view["Tags"] is view["Tags"]  # frozen once, not on every access
    assert freeze(view) is view  # freezing a frozen value is free


def test_copies_are_plain_and_leave_the_resource_alone() -> None:
    data = sample()
    view = freeze(data)
    clone = copy.deepcopy(view)
    assert type(clone) is dict and clone == data
    clone["Tags"]["env"] = "dev"
    clone["Grants"].append({})
    shallow = dict(view)
    shallow["Name"] = "changed"
    assert data == sample()


@pytest.mark.parametrize("mutate", [
    lambda v: v.__setitem__("Name", "x"),
    lambda v: v.__delitem__("Name"),
    lambda v: v.update({"Name": "x"}),
    lambda v: v.pop("Name"),
    lambda v: v.setdefault("New", 1),
    lambda v: v.clear(),
    lambda v: v["Tags"].__setitem__("env", "dev"),
    lambda v: v["Grants"].append({}),
    lambda v: v["Grants"][0].update(Permission="WRITE"),
    lambda v: v["Grants"].sort(),
    lambda v: v["Grants"].__setitem__(0, None),
    lambda v: v.copy()["Tags"].__setitem__("env", "dev"),
])
def test_every_mutation_raises(mutate: Any) -> None:
    data = sample()
    view = freeze(data)
    with pytest.raises(TypeError, match="resource is read-only"):
        mutate(view)
    assert data == sample()


def test_augmented_assignment_on_nested_list_raises() -> None:
    view = freeze(sample())
    grants = view["Grants"]
    assert isinstance(grants, ReadOnlyList)
    with pytest.raises(TypeError):
        grants += [{}]
    with pytest.raises(TypeError):
        view["Tags"] |= {"a": "b"}


def test_no_attributes_can_be_added() -> None:
    with pytest.raises(AttributeError):
        freeze(sample()).extra = 1


def test_the_frozen_copy_is_independent_of_the_input() -> None:
    data = sample()
    view = freeze(data)
    # Reaching around the subclass changes the engine's copy only, never the caller's data.
    dict.__setitem__(view["Tags"], "env", "dev")
    list.append(view["Grants"], {})
    assert data == sample()


def test_slices_products_and_pickles_are_plain() -> None:
    view = freeze(sample())
    grants = view["Grants"]
    for derived in (grants[:], grants * 2, grants + [], copy.copy(grants),
                    pickle.loads(pickle.dumps(grants))):
        assert type(derived) is list
    derived = grants[:]
    derived.append({})  # a new list: the resource is untouched
    assert len(grants) == 1
    assert type(pickle.loads(pickle.dumps(view))) is dict and type(copy.copy(view)) is dict
