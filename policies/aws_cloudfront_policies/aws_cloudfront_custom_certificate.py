"""CloudFront distributions must serve their own SSL/TLS certificate, not the default *.cloudfront.net one (FSBP CloudFront.7)."""

from typing import Any


def policy(resource: Any) -> bool:
    cert = (resource.get("DistributionConfig") or {}).get("ViewerCertificate") or {}
    return not cert.get("CloudFrontDefaultCertificate") and bool(cert.get("ACMCertificateArn") or cert.get("IAMCertificateId"))


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] uses the default CloudFront certificate"
