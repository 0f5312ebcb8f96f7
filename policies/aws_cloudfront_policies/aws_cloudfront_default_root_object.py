"""CloudFront distributions must name a default root object (FSBP CloudFront.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool((resource.get("DistributionConfig") or {}).get("DefaultRootObject"))


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] has no default root object"
