"""EC2 instances must accept only IMDSv2 (session-token) metadata requests (CIS 5.6)."""

from typing import Any


def policy(resource: Any) -> bool:
    options = resource.get("MetadataOptions")
    if options is None:
        return True  # not reported: nothing to judge
    # With the endpoint disabled there is no metadata service to abuse at all.
    return bool(options.get("HttpTokens") == "required"
                or options.get("HttpEndpoint") == "disabled")


def title(resource: Any) -> str:
    return f"EC2 instance [{resource.get('InstanceId')}] accepts IMDSv1 requests"
