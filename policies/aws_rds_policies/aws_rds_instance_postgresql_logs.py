"""RDS for PostgreSQL DB instances must publish their postgresql log to CloudWatch Logs (FSBP RDS.36)."""

from typing import Any

from posture_rds import engine_is, managed_by_cluster, missing_log_exports

# The log types Security Hub requires of RDS.36 (its logTypes parameter, not customizable).
REQUIRED_LOGS = ("postgresql",)


def policy(resource: Any) -> bool:
    if not engine_is(resource, "postgres") or managed_by_cluster(resource):
        return True  # another engine, or a Multi-AZ DB cluster member whose cluster exports its logs
    return not missing_log_exports(resource, REQUIRED_LOGS)


def title(resource: Any) -> str:
    return f"PostgreSQL DB instance [{resource.get('DBInstanceIdentifier')}] does not publish its postgresql log to CloudWatch Logs"
