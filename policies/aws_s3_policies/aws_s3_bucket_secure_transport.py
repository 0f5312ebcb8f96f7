"""S3 bucket policies must deny requests that do not use HTTPS (CIS 2.1.1)."""

import json
from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from panther import listify

# Actions whose denial covers every S3 request.
ALL_ACTIONS = frozenset({"*", "s3:*"})


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in listify(principal.get("AWS"))


def _insecure_transport_condition(condition: Any) -> bool:
    """Condition {"Bool"|"BoolIfExists": {"aws:SecureTransport": "false"}} (any key case)."""
    if not isinstance(condition, Mapping):
        return False
    for operator, tests in condition.items():
        if str(operator).lower() not in ("bool", "boolifexists") or not isinstance(tests, Mapping):
            continue
        for key, value in tests.items():
            if str(key).lower() == "aws:securetransport" and any(
                    str(v).lower() == "false" for v in listify(value)):
                return True
    return False


def _covers_objects(resources: Any, bucket_arn: str) -> bool:
    # The statement must reach the bucket's objects ("arn:aws:s3:::b/*", "arn:aws:s3:::b*", "*").
    return any(fnmatchcase(f"{bucket_arn}/any-object", str(pattern))
               for pattern in listify(resources))


def denies_http(resource: Any) -> bool:
    text = resource.get("Policy")
    if not text:
        return False  # no bucket policy at all
    document = json.loads(text)
    for statement in listify(document.get("Statement")):
        if (isinstance(statement, Mapping) and statement.get("Effect") == "Deny"
                and _everyone(statement.get("Principal"))
                and ALL_ACTIONS & {str(a).lower() for a in listify(statement.get("Action"))}
                and _covers_objects(statement.get("Resource"), str(resource.get("Arn")))
                and _insecure_transport_condition(statement.get("Condition"))):
            return True
    return False


def policy(resource: Any) -> bool:
    return denies_http(resource)


def title(resource: Any) -> str:
    return f"S3 bucket [{resource.get('Name')}] does not deny requests over plain HTTP"
