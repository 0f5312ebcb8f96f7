"""AWS Security Hub must be enabled in every region (CIS AWS Foundations 3.0, 4.16)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("Enabled") is True


def title(resource: Any) -> str:
    return f"AWS Security Hub is not enabled in [{resource.get('Region')}]"
