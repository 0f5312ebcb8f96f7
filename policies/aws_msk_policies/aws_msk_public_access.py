"""MSK clusters must not give their brokers public addresses (FSBP MSK.4).

Serverless clusters are reachable only through their VPCs; for a provisioned cluster the absent
setting is AWS's default, public access off.
"""

from typing import Any

from panther import deep_get


def public_access(resource: Any) -> str | None:
    return deep_get(resource, "Provisioned", "BrokerNodeGroupInfo", "ConnectivityInfo", "PublicAccess", "Type")


def policy(resource: Any) -> bool:
    if resource.get("Provisioned") is None:
        return True  # serverless: VPC endpoints only
    return public_access(resource) in (None, "DISABLED")


def title(resource: Any) -> str:
    return f"MSK cluster [{resource.get('Name')}] brokers are reachable from the internet ({public_access(resource)})"
