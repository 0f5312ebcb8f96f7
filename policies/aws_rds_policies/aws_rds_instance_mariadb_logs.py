"""RDS for MariaDB DB instances must publish their audit and error logs to CloudWatch Logs (FSBP RDS.42)."""

from typing import Any

from posture_rds import engine_is, missing_log_exports

# Security Hub's default logTypes for RDS.42.
REQUIRED_LOGS = ("audit", "error")


def policy(resource: Any) -> bool:
    if not engine_is(resource, "mariadb"):
        return True
    return not missing_log_exports(resource, REQUIRED_LOGS)


def title(resource: Any) -> str:
    missing = " and ".join(missing_log_exports(resource, REQUIRED_LOGS))
    return f"MariaDB DB instance [{resource.get('DBInstanceIdentifier')}] does not publish its {missing} logs to CloudWatch Logs"
