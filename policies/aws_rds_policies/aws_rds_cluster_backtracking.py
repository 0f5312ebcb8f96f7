"""Aurora MySQL clusters must have backtracking on (FSBP RDS.14)."""

from typing import Any


def policy(resource: Any) -> bool:
    if resource.get("Engine") != "aurora-mysql":
        return True  # backtracking exists for Aurora MySQL only
    return (resource.get("BacktrackWindow") or 0) > 0


def title(resource: Any) -> str:
    return f"Aurora MySQL cluster [{resource.get('DBClusterIdentifier')}] cannot be backtracked"
