"""The S3 bucket a CloudTrail trail delivers to must have server access logging on (CIS 3.4).

The bucket is not part of the trail resource: it is read from Posture's inventory with
resource_lookup (S3 bucket names are global, so a bucket in another scanned account is found
too). A bucket that is not there (not scanned yet, in an account Posture does not scan, or its
scope could not be read) makes the verdict an ERROR, never a pass.
"""

from typing import Any

from panther_aws_helpers import BadLookup, resource_lookup


def _bucket(resource: Any) -> Any:
    name = resource.get("S3BucketName")
    try:
        return resource_lookup(f"arn:aws:s3:::{name}")
    except BadLookup:
        raise RuntimeError(f"cannot judge: the trail's bucket {name} is not in the inventory (not "
                           "scanned yet, in an account Posture does not scan, or its scan could "
                           "not read it)") from None


def policy(resource: Any) -> bool:
    if not resource.get("S3BucketName"):
        return True  # no bucket, nothing to log (a trail always has one on AWS)
    return bool((_bucket(resource) or {}).get("LoggingPolicy"))


def title(resource: Any) -> str:
    return (f"CloudTrail trail [{resource.get('Name')}] delivers to bucket "
            f"[{resource.get('S3BucketName')}], which has no server access logging")
