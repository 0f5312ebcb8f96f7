"""RDS DB instances should not listen on their engine's default port (FSBP RDS.23)."""

from typing import Any

# Default listener port per engine family.
DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306, "mariadb": 3306, "oracle": 1521,
                 "sqlserver": 1433, "db2": 50000, "aurora": 3306}


def policy(resource: Any) -> bool:
    engine = str(resource.get("Engine") or "")
    family = "postgres" if engine == "aurora-postgresql" else next(
        (f for f in DEFAULT_PORTS if engine.startswith(f)), None)
    port = resource.get("DbInstancePort") or (resource.get("Endpoint") or {}).get("Port")
    return family is None or port is None or port != DEFAULT_PORTS[family]


def title(resource: Any) -> str:
    return f"RDS instance [{resource.get('DBInstanceIdentifier')}] listens on its engine's default port"
