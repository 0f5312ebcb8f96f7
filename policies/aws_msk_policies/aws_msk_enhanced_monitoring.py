"""MSK clusters must publish enhanced monitoring metrics at least per topic per broker (FSBP MSK.2).

Serverless clusters have no monitoring levels: the control does not apply to them.
"""

from typing import Any

from panther import deep_get


PER_TOPIC_LEVELS = ("PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION")


def policy(resource: Any) -> bool:
    if resource.get("Provisioned") is None:
        return True  # serverless: no enhanced monitoring levels
    return deep_get(resource, "Provisioned", "EnhancedMonitoring") in PER_TOPIC_LEVELS


def title(resource: Any) -> str:
    level = deep_get(resource, "Provisioned", "EnhancedMonitoring") or "DEFAULT"
    return f"MSK cluster [{resource.get('Name')}] has enhanced monitoring at {level} only"
