"""CloudFront distributions must write standard access logs (FSBP CloudFront.5)."""

from typing import Any


def policy(resource: Any) -> bool:
    logging = (resource.get("DistributionConfig") or {}).get("Logging") or {}
    return bool(logging.get("Enabled") and logging.get("Bucket"))


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] has no access logging"
