"""MSK clusters must encrypt the traffic among their broker nodes with TLS (FSBP MSK.1).

Serverless clusters always encrypt in transit; for a provisioned cluster AWS's default, when the
setting is absent, is encryption on.
"""

from typing import Any

from panther import deep_get


def in_cluster(resource: Any) -> bool | None:
    transit = deep_get(resource, "Provisioned", "EncryptionInfo", "EncryptionInTransit") or {}
    return transit.get("InCluster")


def policy(resource: Any) -> bool:
    if resource.get("Provisioned") is None:
        return True  # serverless: TLS only
    return in_cluster(resource) is not False


def title(resource: Any) -> str:
    return f"MSK cluster [{resource.get('Name')}] sends data between its brokers in plaintext"
