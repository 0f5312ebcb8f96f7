"""Amazon MQ brokers must apply minor engine upgrades automatically (FSBP MQ.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("AutoMinorVersionUpgrade") is True


def title(resource: Any) -> str:
    return f"Amazon MQ broker [{resource.get('Name')}] does not apply minor version upgrades"
