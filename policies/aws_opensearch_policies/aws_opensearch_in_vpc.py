"""OpenSearch domains must run inside a VPC, not on a public endpoint (FSBP Opensearch.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    vpc = resource.get("VPCOptions") or {}
    return bool(vpc.get("SubnetIds"))


def title(resource: Any) -> str:
    return f"OpenSearch domain [{resource.get('DomainName')}] has a public endpoint"
