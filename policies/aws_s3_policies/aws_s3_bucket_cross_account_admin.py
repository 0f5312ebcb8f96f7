"""S3 bucket policies must not grant other accounts the actions that control access (FSBP S3.6).

The controlled actions are those Security Hub checks: deleting or replacing the bucket policy,
changing bucket or object ACLs and changing default encryption.
"""

from typing import Any

from posture_resource_policy import foreign_grants

CONTROL_ACTIONS = ["s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketPolicy",
                   "s3:PutEncryptionConfiguration", "s3:PutObjectAcl"]


def grants(resource: Any) -> list[dict[str, Any]]:
    return foreign_grants(resource.get("Policy"), str(resource.get("AccountId")), CONTROL_ACTIONS)


def policy(resource: Any) -> bool:
    return not grants(resource)


def title(resource: Any) -> str:
    actions = sorted({action for grant in grants(resource) for action in grant["actions"]})
    return f"S3 bucket [{resource.get('Name')}] policy grants other accounts {', '.join(actions)}"


def alert_context(resource: Any) -> dict[str, Any]:
    return {"bucket": resource.get("Name"), "grants": grants(resource)}
