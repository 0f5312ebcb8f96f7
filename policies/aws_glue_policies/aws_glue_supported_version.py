"""AWS Glue Spark jobs must run on a supported Glue version, 3.0 or later (FSBP Glue.4)."""

from typing import Any


SPARK_COMMANDS = ("glueetl", "gluestreaming")
MINIMUM_SUPPORTED = (3, 0)


def version(value: Any) -> tuple:
    try:
        return tuple(int(part) for part in str(value).split("."))
    except ValueError:
        return (0,)


def policy(resource: Any) -> bool:
    if (resource.get("Command") or {}).get("Name") not in SPARK_COMMANDS:
        return True  # Python shell and Ray jobs are out of scope
    # Glue treats a Spark job without GlueVersion as 0.9.
    return version(resource.get("GlueVersion") or "0.9") >= MINIMUM_SUPPORTED


def title(resource: Any) -> str:
    return f"Glue job [{resource.get('Name')}] runs on unsupported Glue version {resource.get('GlueVersion') or '0.9'}"
