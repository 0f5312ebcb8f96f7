"""CloudTrail trails must have log file integrity validation on (CIS 3.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("LogFileValidationEnabled") is True


def title(resource: Any) -> str:
    return f"CloudTrail trail [{resource.get('Name')}] does not validate its log files"
