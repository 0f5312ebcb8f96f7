"""S3 object-level read events of every bucket must be logged by CloudTrail (CIS 3.9)."""

from typing import Any

from posture_cloudtrail import logs_all_s3_object_events


def policy(resource: Any) -> bool:
    return logs_all_s3_object_events(resource, reads=True)


def title(resource: Any) -> str:
    return (f"AWS account [{resource.get('AccountId')}] does not log S3 object-level read "
            "events for all buckets")
