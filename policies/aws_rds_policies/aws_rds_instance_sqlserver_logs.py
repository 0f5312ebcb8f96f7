"""RDS for SQL Server DB instances must publish their agent and error logs to CloudWatch Logs (FSBP RDS.40)."""

from typing import Any

from posture_rds import engine_is, missing_log_exports

# Security Hub's default logTypes for RDS.40.
REQUIRED_LOGS = ("agent", "error")
# Every edition: sqlserver-ee, -se, -ex and -web (RDS Custom, custom-sqlserver-*, has no log exports).
SQL_SERVER = "sqlserver-"


def policy(resource: Any) -> bool:
    if not engine_is(resource, SQL_SERVER):
        return True
    return not missing_log_exports(resource, REQUIRED_LOGS)


def title(resource: Any) -> str:
    missing = " and ".join(missing_log_exports(resource, REQUIRED_LOGS))
    return f"SQL Server DB instance [{resource.get('DBInstanceIdentifier')}] does not publish its {missing} logs to CloudWatch Logs"
