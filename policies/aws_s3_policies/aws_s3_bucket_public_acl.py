"""S3 bucket ACLs must not grant access to everyone or to every AWS account."""

from typing import Any

# The predefined S3 groups that make a grant public.
PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
}
# READ lists objects, WRITE creates/overwrites them, WRITE_ACP lets the grantee rewrite the ACL
# (and so grant itself anything); FULL_CONTROL is all of these.
RISKY_PERMISSIONS = frozenset({"READ", "WRITE", "WRITE_ACP", "FULL_CONTROL"})


def public_grants(resource: Any) -> list[dict[str, str]]:
    found = []
    for grant in resource.get("Grants") or []:
        grantee = grant.get("Grantee") or {}
        group = PUBLIC_GROUPS.get(grantee.get("URI") or "")
        if grantee.get("Type") == "Group" and group and grant.get("Permission") in RISKY_PERMISSIONS:
            found.append({"grantee": group, "permission": grant.get("Permission")})
    return found


def policy(resource: Any) -> bool:
    return not public_grants(resource)


def title(resource: Any) -> str:
    grants = ", ".join(f"{g['permission']} to {g['grantee']}" for g in public_grants(resource))
    return f"S3 bucket [{resource.get('Name')}] ACL grants {grants}"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"bucket": resource.get("Name"), "publicGrants": public_grants(resource),
            "publicAccessBlock": resource.get("PublicAccessBlockConfiguration")}
