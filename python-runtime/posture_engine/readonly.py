"""Read-only resources, so one policy cannot change what the next one (or the caller) sees.

`freeze` builds one read-only copy of a resource, shared by every policy evaluated against it:
dicts become ReadOnlyDict and lists ReadOnlyList, subclasses of dict and list whose mutating
methods raise. Being real dicts and lists, every read (`r["k"]`, `.get`, `in`, iteration,
`isinstance(r, dict)`, `json.dumps`, `==`) runs at the built-in types' C speed, which matters:
policies read the resource far more often than anything else they do. Copies (`dict(r)`,
`r.copy()`, `copy.deepcopy(r)`) come back as plain, mutable containers.

What this does not stop is code that deliberately reaches around the subclass
(`dict.__setitem__(r, k, v)`); that changes only the engine's frozen copy, never the caller's
resource, and only for the policies evaluated after it on the same resource.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, NoReturn

__all__ = ["ReadOnlyDict", "ReadOnlyList", "freeze", "thaw"]


def _refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise TypeError("resource is read-only")


class ReadOnlyDict(dict[Any, Any]):
    """A dict that refuses mutation; build it with `freeze` so nested values are frozen too."""

    __slots__ = ()

    __setitem__ = __delitem__ = __ior__ = _refuse
    update = pop = popitem = setdefault = clear = _refuse

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return {copy.deepcopy(k, memo): copy.deepcopy(v, memo) for k, v in self.items()}

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))  # pickles (and copy's fallback) as a plain dict


class ReadOnlyList(list[Any]):
    """A list that refuses mutation; slices, `+` and `*` give new plain lists (of frozen items)."""

    __slots__ = ()

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse

    def copy(self) -> list[Any]:
        return list(self)

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return [copy.deepcopy(v, memo) for v in self]

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))


_set_item = dict.__setitem__


def _freeze_dict(value: dict[Any, Any]) -> ReadOnlyDict:
    # Copy the whole level at C speed, then replace just the containers: most values are
    # scalars, and this is about twice as fast as rebuilding the dict item by item.
    frozen = ReadOnlyDict(value)
    for key, item in value.items():
        kind = type(item)
        if kind is dict:
            _set_item(frozen, key, _freeze_dict(item))
        elif kind is list:
            _set_item(frozen, key, _freeze_list(item))
    return frozen


def _freeze_list(value: list[Any]) -> ReadOnlyList:
    return ReadOnlyList([
        _freeze_dict(item) if type(item) is dict
        else _freeze_list(item) if type(item) is list else item
        for item in value])


def freeze(value: Any) -> Any:
    """A read-only copy of a dict or list (recursively; scalars are shared, being immutable).

    Values that are read-only already, and anything that is not a plain dict or list, are
    returned unchanged, so freezing twice costs nothing.
    """
    kind = type(value)
    if kind is dict:
        return _freeze_dict(value)
    if kind is list:
        return _freeze_list(value)
    return value


def thaw(value: Any) -> Any:
    """Plain, mutable data from a frozen value (for results that leave the engine)."""
    if isinstance(value, dict):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list):
        return [thaw(item) for item in value]
    return value
