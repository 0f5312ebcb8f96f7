"""CloudFront distributions with a custom certificate must use a recommended viewer TLS security
policy (FSBP CloudFront.15).

Security Hub's fixed list: TLSv1.2_2021, TLSv1.2_2025 and TLSv1.3_2025. As AWS scopes the control,
distributions on the default *.cloudfront.net certificate and those serving legacy clients from
dedicated IP addresses (SSLSupportMethod vip) are out of scope.
"""

from typing import Any

RECOMMENDED = frozenset({"TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"})


def policy(resource: Any) -> bool:
    cert = (resource.get("DistributionConfig") or {}).get("ViewerCertificate") or {}
    if cert.get("CloudFrontDefaultCertificate") or not (cert.get("ACMCertificateArn") or cert.get("IAMCertificateId")):
        return True
    if cert.get("SSLSupportMethod") == "vip":
        return True
    return cert.get("MinimumProtocolVersion") in RECOMMENDED


def title(resource: Any) -> str:
    cert = (resource.get("DistributionConfig") or {}).get("ViewerCertificate") or {}
    return (f"CloudFront distribution [{resource.get('Id')}] uses the viewer TLS policy "
            f"{cert.get('MinimumProtocolVersion')}, not a recommended one")
