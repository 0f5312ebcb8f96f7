"""S3 buckets must have all four Block Public Access settings on (CIS 2.1.4)."""

from typing import Any

SETTINGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def settings_off(resource: Any) -> list[str]:
    # Null when the bucket has no public access block configuration: every setting is off.
    config = resource.get("PublicAccessBlockConfiguration") or {}
    return [name for name in SETTINGS if config.get(name) is not True]


def policy(resource: Any) -> bool:
    return not settings_off(resource)


def title(resource: Any) -> str:
    return (f"S3 bucket [{resource.get('Name')}] does not block public access "
            f"({', '.join(settings_off(resource))} off)")


def alert_context(resource: Any) -> dict[str, Any]:
    return {"bucket": resource.get("Name"), "settingsOff": settings_off(resource),
            "publicAccessBlock": resource.get("PublicAccessBlockConfiguration")}
