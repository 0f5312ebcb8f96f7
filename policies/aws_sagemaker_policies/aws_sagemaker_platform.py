"""SageMaker notebook instances must run on a supported platform (FSBP SageMaker.8).

Security Hub's parameter is the supported platform, notebook-al2023-v1. Listing the retired
platforms (Amazon Linux 1, and Amazon Linux 2 whose notebooks SageMaker no longer supports)
instead keeps platforms AWS adds later passing; an instance whose platform is not reported
cannot be judged and passes.
"""

from typing import Any

UNSUPPORTED_PLATFORMS = frozenset({"notebook-al1-v1", "notebook-al2-v1", "notebook-al2-v2", "notebook-al2-v3"})


def policy(resource: Any) -> bool:
    return resource.get("PlatformIdentifier") not in UNSUPPORTED_PLATFORMS


def title(resource: Any) -> str:
    return (f"SageMaker notebook instance [{resource.get('NotebookInstanceName')}] runs on the unsupported "
            f"platform {resource.get('PlatformIdentifier')}")
