"""Provisioned DynamoDB tables must auto scale table read and write capacity (FSBP DynamoDB.1).

On-demand (PAY_PER_REQUEST) tables scale by themselves and pass.
"""

from typing import Any

DIMENSIONS = ("dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits")


def _billing_mode(resource: Any) -> str:
    summary = resource.get("BillingModeSummary") or {}
    # A table created provisioned never reports a summary; absent means PROVISIONED.
    return str(summary.get("BillingMode") or "PROVISIONED")


def unscaled_dimensions(resource: Any) -> list[str]:
    """The table capacity dimensions with no scalable target carrying a scaling policy."""
    if _billing_mode(resource) == "PAY_PER_REQUEST":
        return []
    scaled = {target.get("ScalableDimension")
              for target in resource.get("AutoScalingDescriptions") or []
              if target.get("ScalingPolicies") and not _suspended(target)}
    return [dimension for dimension in DIMENSIONS if dimension not in scaled]


def _suspended(target: Any) -> bool:
    state = target.get("SuspendedState") or {}
    return bool(state.get("DynamicScalingInSuspended") and state.get("DynamicScalingOutSuspended"))


def policy(resource: Any) -> bool:
    return not unscaled_dimensions(resource)


def title(resource: Any) -> str:
    missing = ", ".join(d.rsplit(":", 1)[-1] for d in unscaled_dimensions(resource))
    return f"DynamoDB table [{resource.get('TableName')}] has fixed provisioned capacity ({missing})"
