"""Customer-managed symmetric KMS keys must rotate their key material yearly (CIS 3.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    # The scanner reports KeyRotationEnabled only for keys that can rotate automatically
    # (symmetric, customer-managed, KMS-generated material); null means not applicable.
    if resource.get("KeyManager") != "CUSTOMER" or resource.get("KeyState") != "Enabled":
        return True
    return resource.get("KeyRotationEnabled") is not False


def title(resource: Any) -> str:
    return f"KMS key [{resource.get('KeyId')}] in [{resource.get('Region')}] does not rotate"
