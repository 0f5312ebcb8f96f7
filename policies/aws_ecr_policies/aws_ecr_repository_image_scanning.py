"""ECR repositories must scan their images for vulnerabilities, on push or continuously (FSBP ECR.1)."""

from typing import Any
from fnmatch import fnmatchcase


def policy(resource: Any) -> bool:
    if (resource.get("ImageScanningConfiguration") or {}).get("ScanOnPush"):
        return True
    # Registry-level scanning (basic or enhanced) covers repositories its filters match.
    name = resource.get("RepositoryName") or ""
    registry = resource.get("RegistryScanningConfiguration") or {}
    for rule in registry.get("Rules") or []:
        if rule.get("ScanFrequency") == "MANUAL":
            continue
        for f in rule.get("RepositoryFilters") or []:
            if f.get("FilterType") == "WILDCARD" and fnmatchcase(name, f.get("Filter") or ""):
                return True
    return False


def title(resource: Any) -> str:
    return f"ECR repository [{resource.get('RepositoryName')}] does not scan its images"
