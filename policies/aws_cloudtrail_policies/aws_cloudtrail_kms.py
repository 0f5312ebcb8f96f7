"""CloudTrail trails must encrypt their log files with a KMS key (CIS 3.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("KmsKeyId"))


def title(resource: Any) -> str:
    return f"CloudTrail trail [{resource.get('Name')}] log files are not encrypted with KMS"
