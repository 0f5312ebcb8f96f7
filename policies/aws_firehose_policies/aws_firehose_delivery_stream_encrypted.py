"""Firehose delivery streams must encrypt data at rest (DataFirehose.1)."""

from typing import Any


def policy(resource: Any) -> bool:
    # A stream reading from a Kinesis data stream or MSK is protected by its source's encryption.
    if resource.get("DeliveryStreamType") in ("KinesisStreamAsSource", "MSKAsSource"):
        return True
    config = resource.get("DeliveryStreamEncryptionConfiguration") or {}
    return config.get("Status") in ("ENABLED", "ENABLING")


def title(resource: Any) -> str:
    return f"Firehose delivery stream [{resource.get('Name')}] in [{resource.get('Region')}] is not encrypted at rest"
