"""Lambda functions should not run on a deprecated runtime (FSBP Lambda.2)."""

from typing import Any

# Runtimes past their Lambda deprecation date (AWS's runtime deprecation schedule, end of
# 2025). Listing deprecated runtimes rather than supported ones keeps new runtimes passing;
# extend it as AWS deprecates more.
DEPRECATED_RUNTIMES = frozenset({
    "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x",
    "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x",
    "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
    "ruby2.5", "ruby2.7",
    "java8", "go1.x", "provided",
    "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0",
    "dotnet6", "dotnet7",
})


def policy(resource: Any) -> bool:
    # Container-image functions (PackageType Image) have no managed runtime.
    return resource.get("Runtime") not in DEPRECATED_RUNTIMES


def title(resource: Any) -> str:
    return f"Lambda function [{resource.get('FunctionName')}] runs on the deprecated runtime {resource.get('Runtime')}"
