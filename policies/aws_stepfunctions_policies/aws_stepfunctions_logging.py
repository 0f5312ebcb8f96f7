"""Step Functions state machines must log executions (StepFunctions.1): a level other than OFF
and a CloudWatch Logs destination."""

from typing import Any


def policy(resource: Any) -> bool:
    logging = resource.get("LoggingConfiguration") or {}
    return logging.get("Level") not in (None, "OFF") and bool(logging.get("Destinations"))


def title(resource: Any) -> str:
    return f"State machine [{resource.get('Name')}] in [{resource.get('Region')}] does not log executions"
