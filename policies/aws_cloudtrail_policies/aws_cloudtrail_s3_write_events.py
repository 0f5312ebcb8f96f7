"""S3 object-level write events of every bucket must be logged by CloudTrail (CIS 3.8)."""

from typing import Any

from posture_cloudtrail import logs_all_s3_object_events


def policy(resource: Any) -> bool:
    return logs_all_s3_object_events(resource, reads=False)


def title(resource: Any) -> str:
    return (f"AWS account [{resource.get('AccountId')}] does not log S3 object-level write "
            "events for all buckets")
