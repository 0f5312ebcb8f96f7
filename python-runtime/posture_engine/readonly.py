"""Read-only views over a resource, so one policy cannot change what the next one sees.

A view is built once per resource and shared by every policy evaluated against it; nested dicts
and lists are wrapped lazily on first access (and cached), so no policy pays for a deep copy.
The views behave like the dict/list they wrap for reading: `.get`, `in`, iteration, `len`,
`dict(view)`, `==` with plain values, `copy.deepcopy` (which returns plain, mutable data) and
`json.dumps` (through a JSONEncoder default installed below).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NoReturn

__all__ = ["ReadOnlyDict", "ReadOnlyList", "freeze", "to_plain"]


def _refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise TypeError("resource is read-only")


class ReadOnlyDict(Mapping[Any, Any]):
    """A read-only Mapping view of a dict; nested containers come back as views too."""

    __slots__ = ("_data", "_views")
    _data: dict[Any, Any]
    _views: dict[Any, Any]

    def __init__(self, data: dict[Any, Any]) -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_views", {})

    def __getitem__(self, key: Any) -> Any:
        views: dict[Any, Any] = self._views
        if key in views:
            return views[key]
        value = self._data[key]
        if isinstance(value, (dict, list)):
            value = views[key] = freeze(value)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        # Faster than Mapping.get's try/except path; policies call .get constantly.
        if key in self._data:
            return self[key]
        return default

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __reversed__(self) -> Iterator[Any]:
        yield from reversed(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReadOnlyDict):
            return bool(self._data == other._data)
        if isinstance(other, dict):
            return bool(self._data == other)
        if isinstance(other, Mapping):
            return bool(self._data == dict(other.items()))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._data)

    def __or__(self, other: Mapping[Any, Any]) -> dict[Any, Any]:
        return {**self, **other}

    def __ror__(self, other: Mapping[Any, Any]) -> dict[Any, Any]:
        return {**other, **self}

    def copy(self) -> dict[Any, Any]:
        """Like dict.copy: a new top level; nested values stay shared, hence stay read-only."""
        return dict(self)

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return copy.deepcopy(self._data, memo)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        _refuse()

    __setitem__ = __delitem__ = __ior__ = _refuse
    update = pop = popitem = setdefault = clear = _refuse


class ReadOnlyList(Sequence[Any]):
    """A read-only Sequence view of a list; compares equal to lists with the same items."""

    __slots__ = ("_data", "_views")
    _data: list[Any]
    _views: dict[int, Any]

    def __init__(self, data: list[Any]) -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_views", {})

    def _item(self, index: int) -> Any:
        views: dict[int, Any] = self._views
        if index in views:
            return views[index]
        value = self._data[index]
        if isinstance(value, (dict, list)):
            value = views[index] = freeze(value)
        return value

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return ReadOnlyList(self._data[index])
        index = index.__index__()
        if index < 0:
            index += len(self._data)
        if not 0 <= index < len(self._data):
            raise IndexError("list index out of range")
        return self._item(index)

    def __iter__(self) -> Iterator[Any]:
        for index in range(len(self._data)):
            yield self._item(index)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, value: object) -> bool:
        return value in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReadOnlyList):
            return bool(self._data == other._data)
        if isinstance(other, list):
            return bool(self._data == other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._data)

    def __add__(self, other: Sequence[Any]) -> list[Any]:
        return [*self, *other]

    def __radd__(self, other: Sequence[Any]) -> list[Any]:
        return [*other, *self]

    def copy(self) -> list[Any]:
        return list(self)

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return copy.deepcopy(self._data, memo)

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        _refuse()

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse


def freeze(value: Any) -> Any:
    """Wrap a dict or list in its read-only view; other values are immutable already."""
    if isinstance(value, dict):
        return ReadOnlyDict(value)
    if isinstance(value, list):
        return ReadOnlyList(value)
    return value


def to_plain(value: Any) -> Any:
    """The data behind a view (for JSON encoding); anything else unchanged."""
    if isinstance(value, (ReadOnlyDict, ReadOnlyList)):
        return value._data
    return value


_json_default = json.JSONEncoder.default


def _encode_views(self: json.JSONEncoder, o: Any) -> Any:
    if isinstance(o, (ReadOnlyDict, ReadOnlyList)):
        return o._data
    return _json_default(self, o)


# Panther policies call json.dumps(resource) unchanged; teach the stock encoder the views.
json.JSONEncoder.default = _encode_views  # type: ignore[method-assign]
