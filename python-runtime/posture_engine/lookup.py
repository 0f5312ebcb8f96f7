"""`resource_lookup(resource_id)`: Panther's cross-resource read, backed by Posture's inventory.

Panther policies read another stored resource with `panther_aws_helpers.resource_lookup(id)`,
which returns its attributes or raises `BadLookup` when it is not in the inventory. The engine
holds no database credentials (policy code must not reach the store), so a lookup is a
round trip: a pair that asks for an ID the caller has not supplied stops with LookupPending
(a BaseException: `except Exception` in a policy does not swallow it, and a broader handler
does not help either, because the request is recorded before it is raised). The engine then
leaves that resource out of its reply and lists the IDs in `retry`; the caller reads them from
the inventory in one batch and sends the resource again with `lookups` — `{id: attributes}`,
or null for an ID that is not stored, which raises BadLookup. Policies are deterministic given
their inputs, so the repeat gives the verdict the policy would have given with live reads.

Each evaluation (one policy on one resource) may look up at most MAX_LOOKUPS distinct IDs;
beyond that the pair is an ERROR. Looked-up attributes are read-only views, like the resource.

The helpers are importable as `panther_aws_helpers` (Panther's module name). A pack that ships
its own `panther_aws_helpers` global (Panther's, with its many other helpers) keeps them all;
only its `resource_lookup` is bound to this one, raising the pack's own `BadLookup` class.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from posture_engine.readonly import freeze

__all__ = ["HELPERS_MODULE", "MAX_LOOKUPS", "BadLookup", "LookupPending", "bind_helpers",
           "asked", "end_pair", "provide", "resource_lookup", "supplied_intact"]

HELPERS_MODULE = "panther_aws_helpers"
MAX_LOOKUPS = 20


class BadLookup(Exception):
    """The looked-up resource is not in the inventory."""


class LookupPending(BaseException):
    """The ID is not supplied yet: the engine asks the caller for it (see the module doc)."""


class LookupUnavailable(Exception):
    """resource_lookup outside a scan (a unit test that does not mock it)."""


# Set before a batch is evaluated (in the engine process, so every evaluation child starts
# with them) and never by a pair: isolation's snapshot of this module's names then reports a
# policy that rebinds them, and PairJob compares the supplied views with the caller's copy.
_supplied: Any = None  # read-only {id: attributes | None}; None: no inventory (unit tests)
_raw: Mapping[str, Any] | None = None  # the caller's copy, to check the views against
_bad_lookup: type[Exception] = BadLookup


class _Pair:
    """What the running pair asked for (cleared, never rebound, between pairs)."""

    __slots__ = ("asked", "pending", "flags")

    def __init__(self) -> None:
        self.asked: set[str] = set()
        self.pending: set[str] = set()
        self.flags: dict[str, bool] = {"exceeded": False}


_pair = _Pair()


def provide(lookups: Mapping[str, Any] | None) -> None:
    """The attributes the caller supplied for this request (None: lookups are unavailable)."""
    global _supplied, _raw
    if lookups is not None and not isinstance(lookups, Mapping):
        raise ValueError(f"lookups must be an object, got {type(lookups).__name__}")
    for key, value in (lookups or {}).items():
        if not isinstance(value, dict) and value is not None:
            raise ValueError(f"lookups[{key!r}] must be an object or null")
    _raw = lookups
    _supplied = None if lookups is None else freeze(dict(lookups))


def supplied_intact() -> bool:
    """Whether the views still equal the caller's copy (a write that bypassed read-only)."""
    return _raw is None or _supplied == _raw


def asked() -> bool:
    """Whether the pair that just ran called resource_lookup (cheap: checked after every pair)."""
    return bool(_pair.asked)


def end_pair() -> tuple[list[str], bool]:
    """The IDs the pair that just ran waited for, and whether it went past MAX_LOOKUPS; resets."""
    pending, exceeded = sorted(_pair.pending), _pair.flags["exceeded"]
    _pair.asked.clear()
    _pair.pending.clear()
    _pair.flags["exceeded"] = False
    return pending, exceeded


def resource_lookup(resource_id: str) -> Any:
    """The stored attributes of `resource_id` (read-only); BadLookup when it is not stored."""
    if not isinstance(resource_id, str) or not resource_id:
        raise _bad_lookup(f"resource_lookup needs a resource ID, got {resource_id!r}")
    supplied = _supplied
    if supplied is None:
        raise LookupUnavailable(
            f"resource_lookup({resource_id!r}): no inventory here; in unit tests mock it "
            "(Mocks: objectName resource_lookup)")
    if resource_id not in _pair.asked:
        if len(_pair.asked) >= MAX_LOOKUPS:
            _pair.flags["exceeded"] = True
            raise LookupPending(f"more than {MAX_LOOKUPS} lookups")
        _pair.asked.add(resource_id)
    if resource_id not in supplied:
        _pair.pending.add(resource_id)
        raise LookupPending(resource_id)
    attributes = supplied[resource_id]
    if attributes is None:
        raise _bad_lookup(f"{resource_id} not found")
    return attributes


def _module() -> ModuleType:
    module = ModuleType(HELPERS_MODULE, "Posture's resource_lookup under Panther's module name.")
    module.BadLookup = BadLookup  # type: ignore[attr-defined]
    module.resource_lookup = resource_lookup  # type: ignore[attr-defined]
    return module


def bind_helpers(pack_defines_it: bool) -> None:
    """Make `panther_aws_helpers.resource_lookup` this one (after the pack's globals loaded)."""
    global _bad_lookup
    module = sys.modules.get(HELPERS_MODULE) if pack_defines_it else None
    if module is None:
        sys.modules[HELPERS_MODULE] = _module()
        _bad_lookup = BadLookup
        return
    own = getattr(module, "BadLookup", None)
    _bad_lookup = own if isinstance(own, type) and issubclass(own, Exception) else BadLookup
    module.resource_lookup = resource_lookup  # type: ignore[attr-defined]
