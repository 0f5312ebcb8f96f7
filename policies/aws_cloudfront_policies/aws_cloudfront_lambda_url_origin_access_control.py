"""CloudFront distributions with a Lambda function URL origin must sign requests to it with origin
access control (FSBP CloudFront.16). Function URLs are the *.lambda-url.<region>.on.aws hosts."""

from typing import Any


def is_function_url(domain: str) -> bool:
    return ".lambda-url." in domain and domain.endswith(".on.aws")


def unsigned_origins(resource: Any) -> list[str]:
    """IDs of the Lambda function URL origins without origin access control."""
    origins = ((resource.get("DistributionConfig") or {}).get("Origins") or {}).get("Items") or []
    return [str(origin.get("Id")) for origin in origins
            if is_function_url(str(origin.get("DomainName") or "").lower()) and not origin.get("OriginAccessControlId")]


def policy(resource: Any) -> bool:
    return not unsigned_origins(resource)


def title(resource: Any) -> str:
    return (f"CloudFront distribution [{resource.get('Id')}] reaches Lambda function URL origin(s) "
            f"without origin access control: {', '.join(unsigned_origins(resource))}")
