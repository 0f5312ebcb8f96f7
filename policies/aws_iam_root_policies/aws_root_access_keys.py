"""The root user must have no active access keys (CIS 1.4)."""

from typing import Any


def active_keys(resource: Any) -> list[int]:
    report = resource.get("CredentialReport") or {}
    return [n for n in (1, 2) if report.get(f"AccessKey{n}Active") is True]


def policy(resource: Any) -> bool:
    return not active_keys(resource)


def title(resource: Any) -> str:
    keys = " and ".join(str(n) for n in active_keys(resource))
    return f"Root user of account [{resource.get('AccountId')}] has active access key {keys}"
