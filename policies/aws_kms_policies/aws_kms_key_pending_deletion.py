"""Customer-managed KMS keys should not be scheduled for deletion unnoticed (FSBP KMS.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("KeyState") not in ("PendingDeletion", "PendingReplicaDeletion")


def title(resource: Any) -> str:
    return f"KMS key [{resource.get('KeyId')}] is scheduled for deletion on {resource.get('DeletionDate')}"
