"""RSA certificates in ACM should use keys of at least 2048 bits (FSBP ACM.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    algorithm = str(resource.get("KeyAlgorithm") or "")
    if not algorithm.startswith("RSA_"):
        return True  # EC keys are judged by curve, not by this control
    return algorithm.removeprefix("RSA_").isdigit() and int(algorithm.removeprefix("RSA_")) >= 2048


def title(resource: Any) -> str:
    return f"ACM certificate [{resource.get('DomainName')}] uses a {resource.get('KeyAlgorithm')} key (under 2048 bits)"
