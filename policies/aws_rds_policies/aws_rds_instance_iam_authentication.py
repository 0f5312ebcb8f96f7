"""RDS DB instances of engines that support it should use IAM database authentication (FSBP RDS.10)."""

from typing import Any

# Engines that support IAM database authentication on standalone instances.
IAM_AUTH_ENGINES = ("mysql", "mariadb", "postgres")


def policy(resource: Any) -> bool:
    engine = str(resource.get("Engine") or "")
    if resource.get("DBClusterIdentifier") or not engine.startswith(IAM_AUTH_ENGINES):
        return True  # Aurora members follow their cluster (RDS.12); other engines lack the feature
    return resource.get("IAMDatabaseAuthenticationEnabled") is True


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] does not use IAM database authentication"
