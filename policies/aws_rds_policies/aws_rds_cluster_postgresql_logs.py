"""Aurora PostgreSQL DB clusters must publish their postgresql log to CloudWatch Logs (FSBP RDS.37)."""

from typing import Any

from posture_rds import engine_is, missing_log_exports

REQUIRED_LOGS = ("postgresql",)


def policy(resource: Any) -> bool:
    if not engine_is(resource, "aurora-postgresql"):
        return True  # an Aurora PostgreSQL control
    return not missing_log_exports(resource, REQUIRED_LOGS)


def title(resource: Any) -> str:
    return f"Aurora PostgreSQL cluster [{resource.get('DBClusterIdentifier')}] does not publish its postgresql log to CloudWatch Logs"
