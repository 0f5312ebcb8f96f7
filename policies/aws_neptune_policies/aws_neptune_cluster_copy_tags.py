"""Neptune clusters must copy their tags to snapshots (FSBP Neptune.8)."""

from typing import Any


def policy(resource: Any) -> bool:
    return resource.get("CopyTagsToSnapshot") is True


def title(resource: Any) -> str:
    return f"Neptune cluster [{resource.get('DBClusterIdentifier')}] does not copy its tags to snapshots"
