"""Reading a GuardDuty detector's protection plans, shared by the GuardDuty feature policies.

Importable as `posture_guardduty`. `Features` is GetDetector's list of {Name, Status,
AdditionalConfiguration}; older detectors may report only the deprecated `DataSources`, which
is consulted for the plans it knows (S3 logs, EKS audit logs, EBS malware protection).
"""

from typing import Any


def _legacy_status(resource: Any, feature: str) -> str | None:
    sources = resource.get("DataSources") or {}
    if feature == "S3_DATA_EVENTS":
        return (sources.get("S3Logs") or {}).get("Status")
    if feature == "EKS_AUDIT_LOGS":
        return ((sources.get("Kubernetes") or {}).get("AuditLogs") or {}).get("Status")
    if feature == "EBS_MALWARE_PROTECTION":
        scan = ((sources.get("MalwareProtection") or {}).get("ScanEc2InstanceWithFindings") or {})
        return (scan.get("EbsVolumes") or {}).get("Status")
    return None


def feature_enabled(resource: Any, feature: str) -> bool:
    """Whether the detector is enabled and has the named protection plan (Features name) on."""
    if resource.get("Status") != "ENABLED":
        return False
    for entry in resource.get("Features") or []:
        if entry.get("Name") == feature:
            return entry.get("Status") == "ENABLED"
    return _legacy_status(resource, feature) == "ENABLED"



def runtime_agent_managed(resource: Any, agent: str, features: tuple[str, ...] = ("RUNTIME_MONITORING",)) -> bool:
    """Whether one of the runtime features is on with GuardDuty managing the named security agent.

    `agent` is an AdditionalConfiguration name of the feature: EKS_ADDON_MANAGEMENT,
    ECS_FARGATE_AGENT_MANAGEMENT or EC2_AGENT_MANAGEMENT.
    """
    for feature in features:
        if not feature_enabled(resource, feature):
            continue
        entry = next((f for f in resource.get("Features") or [] if f.get("Name") == feature), {})
        if any(c.get("Name") == agent and c.get("Status") == "ENABLED"
               for c in entry.get("AdditionalConfiguration") or []):
            return True
    return False
