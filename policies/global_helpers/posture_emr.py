"""Reading an EMR cluster's security configuration, shared by the EMR encryption policies.

Importable as `posture_emr`. The cluster's SecurityConfigurationDetail is the JSON string
DescribeSecurityConfiguration returns (null when the cluster has no security configuration).
"""

import json
from typing import Any


def encryption_configuration(resource: Any) -> dict[str, Any]:
    """The EncryptionConfiguration of the cluster's security configuration; {} when there is none."""
    detail = resource.get("SecurityConfigurationDetail")
    if not detail:
        return {}
    try:
        parsed = json.loads(detail)
    except ValueError:
        return {}
    encryption = parsed.get("EncryptionConfiguration") if isinstance(parsed, dict) else None
    return encryption if isinstance(encryption, dict) else {}
