"""Each region's AWS Config recorder must be recording all resource types (CIS 3.3)."""

from typing import Any


def problems(resource: Any) -> list[str]:
    found = []
    status = resource.get("Status") or {}
    if status.get("Recording") is not True:
        found.append("is not recording")
    elif status.get("LastStatus") == "FAILURE":
        found.append(f"fails to record ({status.get('LastErrorCode')})")
    group = resource.get("RecordingGroup") or {}
    if group.get("AllSupported") is not True:
        found.append("does not record all supported resource types")
    return found


def policy(resource: Any) -> bool:
    return not problems(resource)


def title(resource: Any) -> str:
    return (f"AWS Config recorder in [{resource.get('AccountId')}/{resource.get('Region')}] "
            f"{' and '.join(problems(resource))}")
