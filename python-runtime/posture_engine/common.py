"""Small helpers shared by the engine, the loaders and the command-line entry points."""

from __future__ import annotations

SEVERITIES: tuple[str, ...] = ("Info", "Low", "Medium", "High", "Critical")


def one_line(text: object) -> str:
    """Collapse whitespace so every message fits on one log/protocol line."""
    return " ".join(str(text).split())


def describe_exception(exc: BaseException) -> str:
    """'ExcType: message' as results and error lists report it."""
    message = one_line(exc)
    name = type(exc).__name__
    return f"{name}: {message}" if message else name


def parse_resource_types(value: str | None) -> frozenset[str] | None:
    """The `--resource-types A,B,C` option; empty means no list was supplied (no check)."""
    if value is None:
        return None
    types = frozenset(part.strip() for part in value.split(",") if part.strip())
    return types or None


def known_types_of(scanned: str | None, known: str | None) -> frozenset[str] | None:
    """The types a spec may name: `--resource-types` (scanned) plus `--known-types` (Panther-
    documented, not scanned). None (no check) when no scanned list was given."""
    scanned_types = parse_resource_types(scanned)
    if scanned_types is None:
        return None
    return scanned_types | (parse_resource_types(known) or frozenset())
