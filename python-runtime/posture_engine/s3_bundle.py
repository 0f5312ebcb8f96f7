"""Fetching the policy bundle zip from S3 for the engine Lambda.

Env contract (all read once, when the container loads its engine):

    POSTURE_BUNDLE_BUCKET   bucket holding the bundle written by `posture bundle`
    POSTURE_BUNDLE_KEY      its object key
    POSTURE_BUNDLE_VERSION  optional S3 object version id; without it, the latest version

boto3 ships with the Lambda Python runtime and is imported only here, only when the two
required variables are set; the standard AWS_* variables (region, credentials, and
AWS_ENDPOINT_URL_S3 for an emulator) configure the client as usual.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["BundleLocation", "fetch_bundle", "location_from_env"]

ENV_BUCKET = "POSTURE_BUNDLE_BUCKET"
ENV_KEY = "POSTURE_BUNDLE_KEY"
ENV_VERSION = "POSTURE_BUNDLE_VERSION"


@dataclass(frozen=True)
class BundleLocation:
    bucket: str
    key: str
    version_id: str | None = None

    def __str__(self) -> str:
        suffix = f"?versionId={self.version_id}" if self.version_id else ""
        return f"s3://{self.bucket}/{self.key}{suffix}"


def location_from_env(env: Mapping[str, str] | None = None) -> BundleLocation | None:
    """The configured S3 bundle, None when unset; ValueError when only half configured."""
    values = os.environ if env is None else env
    bucket, key = values.get(ENV_BUCKET) or "", values.get(ENV_KEY) or ""
    if not bucket and not key:
        return None
    if not bucket or not key:
        missing = ENV_KEY if bucket else ENV_BUCKET
        raise ValueError(f"{missing} must be set together with "
                         f"{ENV_BUCKET if bucket else ENV_KEY}")
    return BundleLocation(bucket, key, values.get(ENV_VERSION) or None)


def fetch_bundle(location: BundleLocation, client: Any = None) -> bytes:
    """The bundle's bytes (GetObject, pinned to the version id when one is given)."""
    if client is None:
        import boto3  # type: ignore[import-untyped]  # in the Lambda runtime; only for S3 bundles

        client = boto3.client("s3")
    request: dict[str, str] = {"Bucket": location.bucket, "Key": location.key}
    if location.version_id:
        request["VersionId"] = location.version_id
    body = client.get_object(**request)["Body"]
    try:
        data: bytes = body.read()
    finally:
        body.close()
    return data
