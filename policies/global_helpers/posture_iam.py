"""Reading IAM identity-based policy documents, shared by the IAM and KMS permission policies.

Importable as `posture_iam`. A document is the JSON string IAM returns (the model keeps it a
string, URL-decoded); inline policies are a map of policy name to document.
"""

import json
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any

from panther import parse_timestamp

# KMS actions that decrypt data or re-encrypt it under another key (FSBP KMS.1/KMS.2).
KMS_DECRYPT_ACTIONS = ("kms:decrypt", "kms:reencryptfrom")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def allow_statements(document: Any) -> list[dict[str, Any]]:
    """The Allow statements of a policy document (a JSON string or an already parsed dict)."""
    if isinstance(document, str):
        try:
            document = json.loads(document) if document else {}
        except ValueError:
            return []
    if not isinstance(document, dict):
        return []
    return [s for s in _as_list(document.get("Statement"))
            if isinstance(s, dict) and s.get("Effect") == "Allow"]


def _action_matches(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern (with * and ? wildcards) grants `action`."""
    return fnmatchcase(action.lower(), pattern.lower())


def service_wildcard_actions(document: Any) -> list[str]:
    """Allowed actions of the form `service:*` (every action of a service)."""
    found = []
    for statement in allow_statements(document):
        for action in _as_list(statement.get("Action")):
            text = str(action)
            if ":" in text and text.split(":", 1)[1] == "*":
                found.append(text)
    return found


def decrypts_all_keys(document: Any) -> bool:
    """An Allow statement grants kms:Decrypt or kms:ReEncryptFrom on every key ("*" resource)."""
    for statement in allow_statements(document):
        resources = [str(r) for r in _as_list(statement.get("Resource"))]
        if not any(r in ("*", "arn:aws:kms:*:*:key/*", "arn:aws:kms:*:*:*") for r in resources):
            continue
        actions = [str(a) for a in _as_list(statement.get("Action"))]
        if any(_action_matches(a, want) for a in actions for want in KMS_DECRYPT_ACTIONS):
            return True
    return False


def inline_decrypting_all_keys(resource: Any) -> list[str]:
    """Names of the identity's inline policies that decrypt with every KMS key."""
    inline = resource.get("InlinePolicies") or {}
    return sorted(name for name, document in inline.items() if decrypts_all_keys(document))


def _first_time(*values: Any) -> datetime | None:
    """The first value that is a real timestamp (N/A dates are stored as 0001-01-01 → None)."""
    for value in values:
        if (parsed := parse_timestamp(value)) is not None:
            return parsed
    return None


def unused_credentials(resource: Any, now: datetime, max_unused: timedelta) -> list[dict[str, Any]]:
    """The user's enabled password and active access keys idle for `max_unused` or longer, from
    the credential report: [{credential, idleDays}] (idleDays None when no date is known)."""
    report = resource.get("CredentialReport")
    if not report:
        return []
    created = report.get("UserCreationTime")
    # A credential never used counts from when it was set: the password's last change, the
    # key's last rotation (for a key never rotated, its creation: the user's at the latest).
    candidates = []
    if report.get("PasswordEnabled") is True:
        candidates.append(("password", _first_time(report.get("PasswordLastUsed"),
                                                   report.get("PasswordLastChanged"), created)))
    for number in (1, 2):
        if report.get(f"AccessKey{number}Active") is True:
            candidates.append((f"access key {number}", _first_time(
                report.get(f"AccessKey{number}LastUsedDate"),
                report.get(f"AccessKey{number}LastRotated"), created)))
    return [{"credential": name, "idleDays": None if since is None else (now - since).days}
            for name, since in candidates if since is None or now - since >= max_unused]
