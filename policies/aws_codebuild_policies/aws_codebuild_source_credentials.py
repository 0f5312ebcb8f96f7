"""CodeBuild source repository URLs must not embed credentials (FSBP CodeBuild.1)."""

import re
from typing import Any


# Posture keeps the shape of a URL with credentials and replaces the credential itself.
WITH_USERINFO = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@]+@", re.IGNORECASE)


def locations(resource: Any) -> list:
    sources = [resource.get("Source") or {}, *(resource.get("SecondarySources") or [])]
    return [s.get("Location") or "" for s in sources]


def policy(resource: Any) -> bool:
    return not any(WITH_USERINFO.match(location) for location in locations(resource))


def title(resource: Any) -> str:
    return f"CodeBuild project [{resource.get('Name')}] has credentials in a source URL"
