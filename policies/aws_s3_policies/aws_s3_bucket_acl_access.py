"""S3 buckets must not use ACLs to grant access: the bucket ACL holds the owner's grant only (FSBP S3.12).

With Object Ownership set to BucketOwnerEnforced, ACLs are disabled and the bucket ACL is the
owner's FULL_CONTROL alone; any other grant (another account, an email address, a predefined group
such as AllUsers or LogDelivery) is access managed through an ACL instead of a policy.
"""

from typing import Any

from panther import deep_get


def grantee_name(grantee: dict[str, Any]) -> str:
    uri = grantee.get("URI")
    if uri:
        return str(uri).rsplit("/", 1)[-1]
    return str(grantee.get("EmailAddress") or grantee.get("DisplayName") or grantee.get("ID") or "unknown grantee")


def acl_grants(resource: Any) -> list[str]:
    """The bucket ACL's grants to anyone but the bucket owner, as "PERMISSION to grantee"."""
    owner = deep_get(resource, "Owner", "ID")
    found = []
    for grant in resource.get("Grants") or []:
        grantee = grant.get("Grantee") or {}
        if grantee.get("Type") == "CanonicalUser" and owner and grantee.get("ID") == owner:
            continue
        found.append(f"{grant.get('Permission')} to {grantee_name(grantee)}")
    return found


def policy(resource: Any) -> bool:
    return not acl_grants(resource)


def title(resource: Any) -> str:
    return f"S3 bucket [{resource.get('Name')}] ACL grants {', '.join(acl_grants(resource))}"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"bucket": resource.get("Name"), "aclGrants": acl_grants(resource), "owner": deep_get(resource, "Owner", "ID")}
