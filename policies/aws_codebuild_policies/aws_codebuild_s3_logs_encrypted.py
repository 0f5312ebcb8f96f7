"""CodeBuild projects that write build logs to S3 must encrypt them (FSBP CodeBuild.3)."""

from typing import Any


def policy(resource: Any) -> bool:
    s3 = (resource.get("LogsConfig") or {}).get("S3Logs") or {}
    return s3.get("Status") != "ENABLED" or not s3.get("EncryptionDisabled")


def title(resource: Any) -> str:
    return f"CodeBuild project [{resource.get('Name')}] writes unencrypted S3 logs"
