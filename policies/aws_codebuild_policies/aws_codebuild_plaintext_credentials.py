"""CodeBuild projects must not hold AWS access keys in plaintext environment variables (FSBP CodeBuild.2)."""

from typing import Any


CREDENTIAL_NAMES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def policy(resource: Any) -> bool:
    variables = (resource.get("Environment") or {}).get("EnvironmentVariables") or []
    return not any(v.get("Name") in CREDENTIAL_NAMES and v.get("Type") == "PLAINTEXT" for v in variables)


def title(resource: Any) -> str:
    return f"CodeBuild project [{resource.get('Name')}] has AWS credentials in plaintext variables"
