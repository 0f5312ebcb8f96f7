"""CloudFront distributions with S3 origins must use origin access control (FSBP CloudFront.13)."""

from typing import Any


def policy(resource: Any) -> bool:
    for origin in ((resource.get("DistributionConfig") or {}).get("Origins") or {}).get("Items") or []:
        if origin.get("S3OriginConfig") is not None and not origin.get("OriginAccessControlId"):
            return False
    return True


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] reaches an S3 origin without origin access control"
