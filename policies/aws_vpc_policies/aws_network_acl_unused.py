"""Network ACLs not associated with any subnet should be removed (FSBP EC2.16).

A VPC's default ACL cannot be deleted, so it is out of scope.
"""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("IsDefault")) or bool(resource.get("Associations"))


def title(resource: Any) -> str:
    return (f"Network ACL [{resource.get('NetworkAclId')}] in {resource.get('VpcId')} "
            f"is not associated with any subnet")
