"""Helpers importable by policies as `panther` (deep_get-style, as Panther policies expect).

Deliberately small: only what cloud-resource policies commonly need. Helpers accept the
engine's read-only views as well as plain dicts/lists, since they test for Mapping/Sequence.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

__all__ = [
    "deep_get",
    "listify",
    "parse_timestamp",
    "resolve_timestamp_string",
    "is_ip_in_network",
    "is_open_cidr",
]

# Credential reports and some AWS APIs use these for "no value".
_NULL_DATES = frozenset({"", "N/A", "not_supported", "no_information"})
_FRACTION = re.compile(r"(\.\d{6})\d+")


def deep_get(dictionary: Any, *keys: Any, default: Any = None) -> Any:
    """dictionary[k1][k2]...; `default` when a level is missing, not a mapping, or the value is None."""
    value = dictionary
    for key in keys:
        if not isinstance(value, Mapping):
            return default
        value = value.get(key)
        if value is None:
            return default
    return value


def listify(value: Any) -> list[Any]:
    """None → [], a list/tuple/sequence view → list, anything else (strings too) → [value]."""
    if value is None:
        return []
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return list(value)
    return [value]


def parse_timestamp(value: Any) -> datetime | None:
    """An RFC 3339 / ISO 8601 string (or datetime) as an aware UTC datetime.

    None for null, empty, 'N/A'-style values and AWS's placeholder 0001-01-01T00:00:00Z.
    Naive inputs are taken as UTC; fractions beyond microseconds are truncated.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        if text in _NULL_DATES:
            return None
        text = _FRACTION.sub(r"\1", text.replace(" ", "T", 1))
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    parsed = parsed.astimezone(timezone.utc)
    if parsed.year == 1:
        return None
    return parsed


# The name Panther's helper library uses.
resolve_timestamp_string = parse_timestamp


def is_ip_in_network(ip: str, networks: str | Iterable[str]) -> bool:
    """Whether `ip` lies in any of `networks` (CIDR strings); unparsable input is not in."""
    try:
        address = ipaddress.ip_address(str(ip).strip())
    except ValueError:
        return False
    for network in listify(networks) if isinstance(networks, str) else networks:
        try:
            if address in ipaddress.ip_network(str(network).strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def is_open_cidr(cidr: Any) -> bool:
    """Whether a CIDR covers the whole address space (0.0.0.0/0, ::/0)."""
    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False
