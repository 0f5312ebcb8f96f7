"""Kinesis data streams must keep records for at least 7 days (Kinesis.3's default minimum)."""

from typing import Any

MIN_HOURS = 168


def policy(resource: Any) -> bool:
    hours = resource.get("RetentionPeriodHours")
    return isinstance(hours, int) and hours >= MIN_HOURS


def title(resource: Any) -> str:
    return (f"Kinesis stream [{resource.get('Name')}] in [{resource.get('Region')}] keeps records "
            f"{resource.get('RetentionPeriodHours')} hours (< {MIN_HOURS})")
