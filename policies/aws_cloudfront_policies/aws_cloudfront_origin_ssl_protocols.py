"""CloudFront distributions must not use the deprecated SSLv3 protocol with their custom origins (FSBP CloudFront.10)."""

from typing import Any


def policy(resource: Any) -> bool:
    for origin in ((resource.get("DistributionConfig") or {}).get("Origins") or {}).get("Items") or []:
        protocols = ((origin.get("CustomOriginConfig") or {}).get("OriginSslProtocols") or {}).get("Items") or []
        if "SSLv3" in protocols:
            return False
    return True


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] allows SSLv3 to a custom origin"
