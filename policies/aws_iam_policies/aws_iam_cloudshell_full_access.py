"""The AWSCloudShellFullAccess managed policy must not be attached to users, groups or roles
(CIS 1.22): CloudShell file upload and download is a path for data to leave the account."""

from typing import Any

CLOUDSHELL_FULL_ACCESS = "AWSCloudShellFullAccess"


def has_cloudshell_full_access(resource: Any) -> bool:
    # Users and roles list managed policy names, groups their ARNs (arn:aws:iam::aws:policy/NAME).
    names = list(resource.get("ManagedPolicyNames") or [])
    names += [str(arn).rsplit("/", 1)[-1] for arn in resource.get("ManagedPolicyARNs") or []]
    return CLOUDSHELL_FULL_ACCESS in names


def policy(resource: Any) -> bool:
    return not has_cloudshell_full_access(resource)


def title(resource: Any) -> str:
    kind = str(resource.get("ResourceType")).rsplit(".", 1)[-1].lower()
    return f"IAM {kind} [{resource.get('Name')}] has AWSCloudShellFullAccess attached"
