"""SageMaker notebook instances must encrypt their ML storage volume with a customer managed KMS
key (FSBP SageMaker.21): KmsKeyId set, rather than the AWS managed key SageMaker uses otherwise."""

from typing import Any


def policy(resource: Any) -> bool:
    return bool(resource.get("KmsKeyId"))


def title(resource: Any) -> str:
    return (f"SageMaker notebook instance [{resource.get('NotebookInstanceName')}] storage volume is not "
            "encrypted with a customer managed KMS key")
