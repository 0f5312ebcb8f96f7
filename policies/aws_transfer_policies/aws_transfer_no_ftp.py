"""Transfer Family servers must not offer the FTP protocol (FSBP Transfer.2)."""

from typing import Any


def policy(resource: Any) -> bool:
    return "FTP" not in (resource.get("Protocols") or [])


def title(resource: Any) -> str:
    return f"Transfer Family server [{resource.get('Id')}] accepts unencrypted FTP"
