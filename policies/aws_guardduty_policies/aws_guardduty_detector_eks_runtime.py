"""GuardDuty detectors should run EKS Runtime Monitoring with automated agent management (FSBP GuardDuty.7)."""

from posture_guardduty import feature_enabled
from typing import Any


def policy(resource: Any) -> bool:
    for feature in ("RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING"):
        if not feature_enabled(resource, feature):
            continue
        entry = next(f for f in resource.get("Features") or [] if f.get("Name") == feature)
        if any(c.get("Name") == "EKS_ADDON_MANAGEMENT" and c.get("Status") == "ENABLED"
               for c in entry.get("AdditionalConfiguration") or []):
            return True
    return False


def title(resource: Any) -> str:
    return f"GuardDuty detector [{resource.get('Id')}] in [{resource.get('Region')}] does not run EKS Runtime Monitoring with automated agent management"
