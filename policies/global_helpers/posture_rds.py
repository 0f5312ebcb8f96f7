"""RDS engine families and CloudWatch Logs exports, shared by the engine-specific RDS policies.

Importable as `posture_rds`. FSBP has one control per engine for several settings (logs exported,
tags copied to snapshots); each policy names its engine and what the control expects, and these
helpers answer for one DB instance or DB cluster.
"""

from typing import Any, Iterable


def engine_is(resource: Any, *engines: str) -> bool:
    """The resource runs one of the engines; a prefix ending in "-" matches editions ("sqlserver-")."""
    engine = str(resource.get("Engine") or "")
    return any(engine.startswith(e) if e.endswith("-") else engine == e for e in engines)


def missing_log_exports(resource: Any, required: Iterable[str]) -> list[str]:
    """The required log types the resource does not export to CloudWatch Logs, sorted."""
    exported = set(resource.get("EnabledCloudwatchLogsExports") or [])
    return sorted(set(required) - exported)


def managed_by_cluster(resource: Any) -> bool:
    """A DB instance that belongs to an Aurora or Multi-AZ DB cluster: its cluster holds these settings."""
    return bool(resource.get("DBClusterIdentifier"))
