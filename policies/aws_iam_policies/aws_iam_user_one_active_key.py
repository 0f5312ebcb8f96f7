"""An IAM user must have at most one active access key (CIS 1.13)."""

from typing import Any


def active_keys(resource: Any) -> list[str]:
    # AccessKeys (ListAccessKeys, read at scan time) is fresher than the credential report,
    # which AWS regenerates at most every 4 hours; resources without it use the report.
    if "AccessKeys" in resource:
        return [key.get("AccessKeyId") for key in resource.get("AccessKeys") or []
                if key.get("Status") == "Active"]
    report = resource.get("CredentialReport") or {}
    return [f"key {n}" for n in (1, 2) if report.get(f"AccessKey{n}Active") is True]


def policy(resource: Any) -> bool:
    return len(active_keys(resource)) <= 1


def title(resource: Any) -> str:
    return (f"IAM user [{resource.get('UserName')}] has {len(active_keys(resource))} active "
            "access keys")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"userName": resource.get("UserName"), "activeKeys": active_keys(resource)}
