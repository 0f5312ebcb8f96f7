"""The built-in pack: its test resources have exactly the shape the scanners emit.

The attribute tables in docs/resources/<type>.md are generated from the resource registry
(src/resources), so they are what the scanners produce. A policy tested against a resource
shaped differently (a missing key, a renamed one) could pass here and misjudge real resources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT

from posture_engine.specs import load_specs

DOCS = REPO_ROOT / "docs" / "resources"
CREDENTIAL_REPORT_KEYS = {
    "UserName", "ARN", "UserCreationTime", "PasswordEnabled", "PasswordLastUsed",
    "PasswordLastChanged", "PasswordNextRotation", "MfaActive", "AccessKey1Active",
    "AccessKey1LastRotated", "AccessKey1LastUsedDate", "AccessKey1LastUsedRegion",
    "AccessKey1LastUsedService", "AccessKey2Active", "AccessKey2LastRotated",
    "AccessKey2LastUsedDate", "AccessKey2LastUsedRegion", "AccessKey2LastUsedService",
    "Cert1Active", "Cert1LastRotated", "Cert2Active", "Cert2LastRotated"}
# Nested shapes whose every member the scanners emit (null when unset).
NESTED_KEYS: dict[str, set[str]] = {
    "Grantee": {"DisplayName", "EmailAddress", "ID", "Type", "URI"},
    "IpPermission": {"FromPort", "IpProtocol", "IpRanges", "Ipv6Ranges", "PrefixListIds",
                     "ToPort", "UserIdGroupPairs"},
    "PublicAccessBlockConfiguration": {"BlockPublicAcls", "IgnorePublicAcls",
                                       "BlockPublicPolicy", "RestrictPublicBuckets"},
    "Group": {"Arn", "CreateDate", "GroupId", "GroupName", "Path"},
    "AccessKey": {"AccessKeyId", "CreateDate", "Status", "UserName"},
    "Owner": {"DisplayName", "ID"},
    "IpRange": {"CidrIp", "Description"},
    "Ipv6Range": {"CidrIpv6", "Description"},
    "VirtualMFA": {"EnableDate", "SerialNumber"},
}
ROW = re.compile(r"^\| `(\w+)` \|")


def documented_keys() -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for page in DOCS.glob("AWS.*.md"):
        keys[page.stem] = {m.group(1) for line in page.read_text().splitlines()
                           if (m := ROW.match(line))}
    return keys


def builtin_test_resources() -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    loaded = load_specs([str(REPO_ROOT / "policies")])
    assert loaded.errors == []
    for spec in loaded.policies:
        for test in spec.data.get("Tests") or []:
            yield spec.ident, test["Name"], test["Resource"]


CASES = list(builtin_test_resources())


def nested_problems(resource: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []

    def check(where: str, value: Any, shape: str) -> None:
        if value is not None and set(value) != NESTED_KEYS[shape]:
            problems.append(f"{where}: keys {sorted(value)} != {sorted(NESTED_KEYS[shape])}")

    report = resource.get("CredentialReport")
    if report is not None and set(report) != CREDENTIAL_REPORT_KEYS:
        problems.append(f"CredentialReport: keys differ by "
                        f"{sorted(set(report) ^ CREDENTIAL_REPORT_KEYS)}")
    for index, grant in enumerate(resource.get("Grants") or []):
        check(f"Grants[{index}].Grantee", grant.get("Grantee"), "Grantee")
    for field in ("IpPermissions", "IpPermissionsEgress"):
        for index, permission in enumerate(resource.get(field) or []):
            check(f"{field}[{index}]", permission, "IpPermission")
            for range_field, shape in (("IpRanges", "IpRange"), ("Ipv6Ranges", "Ipv6Range")):
                for number, cidr in enumerate(permission.get(range_field) or []):
                    check(f"{field}[{index}].{range_field}[{number}]", cidr, shape)
    check("PublicAccessBlockConfiguration", resource.get("PublicAccessBlockConfiguration"),
          "PublicAccessBlockConfiguration")
    for index, group in enumerate(resource.get("Groups") or []):
        check(f"Groups[{index}]", group, "Group")
    for index, key in enumerate(resource.get("AccessKeys") or []):
        check(f"AccessKeys[{index}]", key, "AccessKey")
    if resource.get("ResourceType") == "AWS.S3.Bucket":
        check("Owner", resource.get("Owner"), "Owner")
    check("VirtualMFA", resource.get("VirtualMFA"), "VirtualMFA")
    return problems


@pytest.mark.parametrize("policy_id, name, resource", CASES,
                         ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_test_resources_match_the_scanner_model(policy_id: str, name: str,
                                                resource: Mapping[str, Any]) -> None:
    documented = documented_keys().get(str(resource.get("ResourceType")))
    assert documented is not None, f"no docs/resources page for {resource.get('ResourceType')}"
    assert set(resource) == documented, (
        f"missing {sorted(documented - set(resource))}, extra {sorted(set(resource) - documented)}")
    assert nested_problems(resource) == []


def test_every_policy_has_passing_and_failing_tests() -> None:
    loaded = load_specs([str(REPO_ROOT / "policies")])
    for spec in loaded.policies:
        outcomes = {t["ExpectedResult"] for t in spec.data.get("Tests") or []}
        assert outcomes == {True, False}, spec.ident


