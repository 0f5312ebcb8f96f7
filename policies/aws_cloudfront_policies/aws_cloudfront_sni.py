"""CloudFront distributions with a custom certificate must serve it by SNI (FSBP CloudFront.8)."""

from typing import Any


def policy(resource: Any) -> bool:
    cert = (resource.get("DistributionConfig") or {}).get("ViewerCertificate") or {}
    if cert.get("CloudFrontDefaultCertificate") or not (cert.get("ACMCertificateArn") or cert.get("IAMCertificateId")):
        return True  # no custom certificate (CloudFront.7)
    return cert.get("SSLSupportMethod") == "sni-only"


def title(resource: Any) -> str:
    return f"CloudFront distribution [{resource.get('Id')}] serves its certificate from dedicated IP addresses"
