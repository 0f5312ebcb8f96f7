"""RDS DB instances must run in a VPC (FSBP RDS.18).

An instance in a VPC has a DB subnet group naming that VPC; one without (EC2-Classic, retired by
AWS) has none, and no security group, network ACL or VPC endpoint can fence it.
"""

from typing import Any

from panther import deep_get


def policy(resource: Any) -> bool:
    return bool(deep_get(resource, "DBSubnetGroup", "VpcId"))


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] is not deployed in a VPC"
