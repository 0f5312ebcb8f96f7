"""IAM Access Analyzer must have an active analyzer in every region (CIS 1.20)."""

from typing import Any


def policy(resource: Any) -> bool:
    return not resource.get("RegionsWithoutAnalyzer")


def title(resource: Any) -> str:
    regions = ", ".join(resource.get("RegionsWithoutAnalyzer") or [])
    return f"IAM Access Analyzer has no active analyzer in [{regions}]"
