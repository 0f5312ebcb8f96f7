"""bench:engine — the policy engine's throughput against the same policies called bare.

    .venv/bin/python bench/engine.py [--resources N] [--batch N] [--rounds N] [--timeout S]

Synthetic resources of every type the built-in pack covers (in the shape the scanners emit)
are evaluated against all built-in policies twice:

* engine: `Engine.evaluate` in batches, as the Lambda receives them, with isolation on
  (a forked worker process per batch with its shared-state checks, read-only resources,
  per-call time limits, print capture, full results);
* raw: the same policy modules in a bare loop over the same plain dicts: `policy(resource)`,
  and on False the optional functions the engine would call (title, dedup, ...), results
  discarded; no isolation, no copies.

Resources are generated batch by batch from a fixed seed, outside the timed sections, so both
loops see identical data and the process never holds more than one batch. Times are CPU time
of this process plus its waited-for children (getrusage: the engine evaluates each batch in a
forked worker process, whose CPU time counts in full), so other work on a shared machine does
not count against either loop; both are CPU-bound, so on an idle machine CPU time and wall time
agree. Each loop runs `--rounds` times, alternating, and the best round counts.
The last line printed is one JSON object, also written to bench/results/engine.json.

Where the engine's time goes is measured in the same rounds, each piece by a loop of its own
over the same batches (CPU seconds for the whole workload, best round; `pieces` in the JSON):

* `raw_forked`: the bare loop with each batch in a fresh forked process (fork, the policies'
  copy-on-write page faults, caches the new process warms again, exit): minus `raw`, the cost
  of a fresh process per batch as such;
* `in_process`: `Engine.evaluate` with isolation off (read-only copies, time limits, full
  results; no process): minus `raw`, the evaluation loop's own cost, of which `freeze` (the
  read-only copy of every resource) and `results` (building every pair's result record from
  its outcome) are measured alone;
* `engine - in_process - (raw_forked - raw)`: the rest of isolation (the shared-state snapshot
  and checks, the comparison of each resource's copy, the outcomes through the pipe, watching
  the worker).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python-runtime"))

from posture_engine.engine import (  # noqa: E402
    OPTIONAL_FUNCTIONS,
    Engine,
    Limits,
    Policy,
    evaluate_pair,
    finish_result,
)
from posture_engine.lookup import provide as provide_lookups  # noqa: E402
from posture_engine.readonly import freeze  # noqa: E402

Resource = dict[str, Any]
ACCOUNT = "123456789012"
DEVS_GROUP = f"arn:aws:iam::{ACCOUNT}:group/devs"
# What the built-in user policy looks up (resource_lookup): the stored group most users are in,
# given to the engine and, for the bare loop, set once as the lookup source.
LOOKUPS: dict[str, Any] = {DEVS_GROUP: {
    "ResourceId": DEVS_GROUP, "ResourceType": "AWS.IAM.Group", "Arn": DEVS_GROUP,
    "GroupName": "devs", "InlinePolicies": None,
    "ManagedPolicyARNs": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}}
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
ZERO_TIME = "0001-01-01T00:00:00Z"


def _date(rng: random.Random, start_year: int = 2019) -> str:
    return (f"{rng.randint(start_year, 2025)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z")


def _common(resource_type: str, resource_id: str, region: str, name: str | None,
            arn: str | None, created: str | None) -> Resource:
    return {"ResourceId": resource_id, "ResourceType": resource_type, "TimeCreated": created,
            "AccountId": ACCOUNT, "Region": region, "Arn": arn, "Id": None, "Name": name,
            "Tags": None}


def _grantee(kind: str, uri: str | None = None) -> dict[str, Any]:
    canonical = kind == "CanonicalUser"
    return {"DisplayName": "owner" if canonical else None, "EmailAddress": None,
            "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
            if canonical else None, "Type": kind, "URI": uri}


def s3_bucket(rng: random.Random, index: int) -> Resource:
    name = f"bench-bucket-{index}"
    arn = f"arn:aws:s3:::{name}"
    bucket = _common("AWS.S3.Bucket", arn, rng.choice(REGIONS), name, arn, _date(rng))
    grants = [{"Grantee": _grantee("CanonicalUser"), "Permission": "FULL_CONTROL"}]
    if rng.random() < 0.1:
        grants.append({"Grantee": _grantee(
            "Group", "http://acs.amazonaws.com/groups/global/AllUsers"), "Permission": "READ"})
    if rng.random() < 0.1:
        grants.append({"Grantee": _grantee(
            "Group", "http://acs.amazonaws.com/groups/s3/LogDelivery"), "Permission": "WRITE"})
    statements: list[dict[str, Any]] = [{
        "Sid": "ReadForApp", "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app"},
        "Action": ["s3:GetObject"], "Resource": f"{arn}/*"}]
    if rng.random() < 0.5:
        statements.append({
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
            "Action": "s3:*", "Resource": [arn, f"{arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    versioning = rng.choice(("Enabled", "Suspended", None))
    bucket.update({
        "EncryptionRules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": rng.choice(("AES256", "aws:kms")), "KMSMasterKeyID": None},
            "BucketKeyEnabled": rng.random() < 0.5}] if rng.random() < 0.85 else None,
        "Grants": grants,
        "LifecycleRules": None,
        "LoggingPolicy": {"TargetBucket": "bench-logs", "TargetGrants": None,
                          "TargetPrefix": f"{name}/", "TargetObjectKeyFormat": None}
        if rng.random() < 0.5 else None,
        "MFADelete": (rng.choice(("Enabled", "Disabled")) if versioning else None),
        "ObjectLockConfiguration": None,
        "Owner": {"DisplayName": "owner",
                  "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
        "Policy": json.dumps({"Version": "2012-10-17", "Statement": statements})
        if rng.random() < 0.7 else None,
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True, "IgnorePublicAcls": True,
            "BlockPublicPolicy": rng.random() < 0.9, "RestrictPublicBuckets": True}
        if rng.random() < 0.8 else None,
        "Versioning": versioning,
    })
    return bucket


def _permission(rng: random.Random, egress: bool = False) -> dict[str, Any]:
    if egress or rng.random() < 0.1:
        protocol, from_port, to_port = "-1", None, None
    else:
        protocol = rng.choice(("tcp", "tcp", "tcp", "udp", "6"))
        from_port = rng.choice((22, 80, 443, 3389, 5432, 0, 1024))
        to_port = from_port if rng.random() < 0.8 else 65535
    cidr = rng.choice(("0.0.0.0/0", "10.0.0.0/8", "192.168.1.0/24", "172.16.0.0/12"))
    return {
        "FromPort": from_port, "IpProtocol": protocol,
        "IpRanges": [{"CidrIp": cidr, "Description": None}],
        "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": None}] if rng.random() < 0.1 else [],
        "PrefixListIds": [], "ToPort": to_port, "UserIdGroupPairs": [],
    }


def security_group(rng: random.Random, index: int) -> Resource:
    region = rng.choice(REGIONS)
    group_id = f"sg-{index:017x}"
    arn = f"arn:aws:ec2:{region}:{ACCOUNT}:security-group/{group_id}"
    default = rng.random() < 0.2
    name = "default" if default else f"bench-sg-{index}"
    group = _common("AWS.EC2.SecurityGroup", arn, region, name, arn, None)
    ingress = [] if default and rng.random() < 0.5 else [
        _permission(rng) for _ in range(rng.randint(1, 4))]
    group.update({
        "Id": group_id, "Description": "bench group", "GroupId": group_id, "GroupName": name,
        "IpPermissions": ingress,
        "IpPermissionsEgress": [] if default and rng.random() < 0.5 else [_permission(rng, True)],
        "OwnerId": ACCOUNT, "VpcId": f"vpc-{index % 50:017x}",
    })
    return group


def _key(rng: random.Random, active: bool) -> tuple[bool, str, str]:
    if not active and rng.random() < 0.7:
        return False, ZERO_TIME, ZERO_TIME
    rotated = _date(rng, 2022)
    return active, rotated, rng.choice((_date(rng, 2024), ZERO_TIME))


def iam_user(rng: random.Random, index: int) -> Resource:
    name = f"bench-user-{index}"
    arn = f"arn:aws:iam::{ACCOUNT}:user/{name}"
    created = _date(rng, 2018)
    user = _common("AWS.IAM.User", arn, "global", name, arn, created)
    console = rng.random() < 0.6
    key1 = _key(rng, rng.random() < 0.6)
    key2 = _key(rng, rng.random() < 0.15)
    mfa = console and rng.random() < 0.8
    report = {
        "UserName": name, "ARN": arn, "UserCreationTime": created,
        "PasswordEnabled": console,
        "PasswordLastUsed": _date(rng, 2024) if console else ZERO_TIME,
        "PasswordLastChanged": _date(rng, 2023) if console else ZERO_TIME,
        "PasswordNextRotation": ZERO_TIME, "MfaActive": mfa,
        "AccessKey1Active": key1[0], "AccessKey1LastRotated": key1[1],
        "AccessKey1LastUsedDate": key1[2],
        "AccessKey1LastUsedRegion": "us-east-1" if key1[2] != ZERO_TIME else "N/A",
        "AccessKey1LastUsedService": "s3" if key1[2] != ZERO_TIME else "N/A",
        "AccessKey2Active": key2[0], "AccessKey2LastRotated": key2[1],
        "AccessKey2LastUsedDate": key2[2],
        "AccessKey2LastUsedRegion": "us-east-1" if key2[2] != ZERO_TIME else "N/A",
        "AccessKey2LastUsedService": "ec2" if key2[2] != ZERO_TIME else "N/A",
        "Cert1Active": False, "Cert1LastRotated": ZERO_TIME,
        "Cert2Active": False, "Cert2LastRotated": ZERO_TIME,
    }
    inline = None
    if rng.random() < 0.2:
        action = "*" if rng.random() < 0.3 else "s3:GetObject"
        inline = {"bench-inline": json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": action, "Resource": "*"}]})}
    managed = rng.choice((None, None, ["ReadOnlyAccess"], ["AdministratorAccess"]))
    user.update({
        "Id": f"AIDA{index:017d}", "CreateDate": created,
        "PasswordLastUsed": report["PasswordLastUsed"] if console else None, "Path": "/",
        "PermissionsBoundary": None, "UserId": f"AIDA{index:017d}", "UserName": name,
        "CredentialReport": report if rng.random() < 0.95 else None,
        "Groups": [{"Arn": DEVS_GROUP, "CreateDate": created,
                    "GroupId": "AGPA00000000000000001", "GroupName": "devs", "Path": "/"}]
        if rng.random() < 0.7 else None,
        "InlinePolicies": inline, "ManagedPolicyNames": managed,
        "ManagedPolicyARNs": [f"arn:aws:iam::aws:policy/{m}" for m in managed] if managed else None,
        "VirtualMFA": {"EnableDate": created,
                       "SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/{name}"} if mfa else None,
        "AccessKeys": None,
    })
    return user


def password_policy(rng: random.Random, index: int) -> Resource:
    account = f"{100000000000 + index}"
    policy = _common("AWS.PasswordPolicy", f"{account}::AWS.PasswordPolicy", "global",
                     "AWS.PasswordPolicy", None, None)
    policy["AccountId"] = account
    exists = rng.random() < 0.85
    policy.update({
        "AnyExist": exists,
        "AllowUsersToChangePassword": True if exists else None,
        "ExpirePasswords": (rng.random() < 0.6) if exists else None,
        "HardExpiry": False if exists else None,
        "MaxPasswordAge": rng.choice((None, 60, 90, 180)) if exists else None,
        "MinimumPasswordLength": rng.choice((8, 12, 14, 16)) if exists else None,
        "PasswordReusePrevention": rng.choice((None, 5, 24)) if exists else None,
        "RequireLowercaseCharacters": True if exists else None,
        "RequireNumbers": True if exists else None,
        "RequireSymbols": (rng.random() < 0.5) if exists else None,
        "RequireUppercaseCharacters": True if exists else None,
    })
    return policy


Generator = Callable[[random.Random, int], Resource]

# The types most accounts hold in numbers get generators with varied configurations; type →
# (generator, relative share of the resources).
GENERATORS: dict[str, tuple[Generator, float]] = {
    "AWS.S3.Bucket": (s3_bucket, 0.30),
    "AWS.EC2.SecurityGroup": (security_group, 0.30),
    "AWS.IAM.User": (iam_user, 0.20),
    "AWS.PasswordPolicy": (password_policy, 0.02),
}
# Every other type the pack covers is drawn from the pack's own test resources (compliant and
# not, in the scanners' shape, as test_builtin_pack checks), each copy under its own ResourceId.
TEMPLATE_SHARE = 0.02


def from_templates(templates: list[Resource]) -> Generator:
    def generate(rng: random.Random, index: int) -> Resource:
        resource: Resource = json.loads(json.dumps(rng.choice(templates)))
        resource["ResourceId"] = f"{resource['ResourceId']}-{index}"
        return resource
    return generate


def generators_for(engine: Engine) -> dict[str, tuple[Generator, float]]:
    covered = sorted({t for p in engine.policies if p.enabled for t in p.resource_types})
    generators = {t: GENERATORS[t] for t in covered if t in GENERATORS}
    for resource_type in covered:
        if resource_type in generators:
            continue
        templates = [dict(test["Resource"]) for p in engine.policies_for(resource_type)
                     for test in p.spec.data.get("Tests") or []
                     if test["Resource"].get("ResourceType") == resource_type]
        if not templates:
            raise SystemExit(f"no synthetic resources for {resource_type}: its policies have no "
                             "test resources")
        generators[resource_type] = (from_templates(templates), TEMPLATE_SHARE)
    return generators


def batches(generators: dict[str, tuple[Generator, float]], total: int, size: int,
            seed: int = 7) -> Iterator[list[Resource]]:
    rng = random.Random(seed)
    types = list(generators)
    weights = [generators[t][1] for t in types]
    for start in range(0, total, size):
        batch = []
        for index in range(start, min(total, start + size)):
            generate = generators[rng.choices(types, weights)[0]][0]
            batch.append(generate(rng, index))
        yield batch


def cpu_time() -> float:
    """CPU seconds of this process and of its children that have been waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_engine(engine: Engine, generators: dict[str, tuple[Generator, float]], total: int,
               size: int) -> tuple[float, int, Counter[str]]:
    elapsed, evaluations, statuses = 0.0, 0, Counter[str]()
    for batch in batches(generators, total, size):
        started = cpu_time()
        results = engine.evaluate(batch, LOOKUPS)
        elapsed += cpu_time() - started
        evaluations += len(results)
        statuses.update(r["status"] for r in results)
    return elapsed, evaluations, statuses


Plans = dict[str, list[tuple[Callable[[Any], Any], list[Callable[[Any], Any]]]]]


def raw_plans(by_type: dict[str, list[Policy]]) -> Plans:
    # Module attributes are looked up once, as a hand-written loop would.
    return {
        resource_type: [(p.module.policy, [f for name in OPTIONAL_FUNCTIONS
                                           if (f := getattr(p.module, name, None)) is not None])
                        for p in policies]
        for resource_type, policies in by_type.items()
    }


def raw_loop(plans: Plans, batch: list[Resource]) -> int:
    provide_lookups(LOOKUPS)  # what resource_lookup answers, as the engine is given it
    evaluations = 0
    for item in batch:
        for policy, optional in plans[item["ResourceType"]]:
            if not policy(item):
                for function in optional:
                    function(item)
            evaluations += 1
    return evaluations


def run_raw(by_type: dict[str, list[Policy]], generators: dict[str, tuple[Generator, float]],
            total: int, size: int) -> tuple[float, int]:
    plans = raw_plans(by_type)
    elapsed, evaluations = 0.0, 0
    for batch in batches(generators, total, size):
        started = cpu_time()
        evaluations += raw_loop(plans, batch)
        elapsed += cpu_time() - started
    return elapsed, evaluations


def run_raw_forked(by_type: dict[str, list[Policy]],
                   generators: dict[str, tuple[Generator, float]], total: int,
                   size: int) -> float:
    """The bare loop with each batch in a fresh forked process, as the engine's workers run."""
    plans = raw_plans(by_type)
    elapsed = 0.0
    for batch in batches(generators, total, size):
        sys.stdout.flush()
        sys.stderr.flush()
        started = cpu_time()
        pid = os.fork()
        if pid == 0:  # the child: the loop, then exit without the interpreter's teardown
            code = 1
            try:
                raw_loop(plans, batch)
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        elapsed += cpu_time() - started
        if status != 0:
            raise SystemExit(f"the forked bare loop ended with status {status}")
    return elapsed


def run_pieces(engine: Engine, generators: dict[str, tuple[Generator, float]], total: int,
               size: int) -> tuple[float, float]:
    """CPU seconds of freeze() for every resource and of finish_result() for every pair."""
    frozen = built = 0.0
    seconds = engine.timeout
    provide_lookups(LOOKUPS)
    for batch in batches(generators, total, size):
        started = cpu_time()
        views = [freeze(item) for item in batch]
        frozen += cpu_time() - started
        pairs = [(item, policy, evaluate_pair(policy, view, seconds, False))
                 for item, view in zip(batch, views)
                 for policy in engine.policies_for(item["ResourceType"])]
        started = cpu_time()
        for item, policy, outcome in pairs:
            finish_result(policy, outcome, item["ResourceId"], item["ResourceType"])
        built += cpu_time() - started
    return frozen, built


def child_faults() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--policies", default=str(ROOT / "policies"))
    args = parser.parse_args(argv)

    engine = Engine.from_directories([args.policies], timeout=args.timeout)
    if engine.errors:
        print("\n".join(engine.errors), file=sys.stderr)
        return 1
    generators = generators_for(engine)
    by_type = {t: engine.policies_for(t) for t in generators}
    # The same policy objects, evaluated in this process (isolation off).
    in_process = Engine(engine.policies, timeout=args.timeout, limits=Limits(isolate=False))

    engine_times: list[float] = []
    raw_times: list[float] = []
    pieces: dict[str, list[float]] = {"raw_forked": [], "in_process": [], "freeze": [],
                                      "results": []}
    faults: list[int] = []
    evaluations = raw_evaluations = 0
    statuses: Counter[str] = Counter()
    peak_rss_mb = 0.0
    # Rounds alternate, so a noisy neighbour on the machine slows every loop alike.
    for _ in range(args.rounds):
        before = child_faults()
        elapsed, evaluations, statuses = run_engine(engine, generators, args.resources, args.batch)
        faults.append(child_faults() - before)
        engine_times.append(elapsed)
        if not raw_times:  # the engine's peak, before the raw loop has run at all
            peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB
        elapsed, raw_evaluations = run_raw(by_type, generators, args.resources, args.batch)
        raw_times.append(elapsed)
        pieces["raw_forked"].append(run_raw_forked(by_type, generators, args.resources,
                                                   args.batch))
        pieces["in_process"].append(run_engine(in_process, generators, args.resources,
                                               args.batch)[0])
        frozen, built = run_pieces(in_process, generators, args.resources, args.batch)
        pieces["freeze"].append(frozen)
        pieces["results"].append(built)
    if raw_evaluations != evaluations:
        print(f"raw loop made {raw_evaluations} evaluations, engine {evaluations}",
              file=sys.stderr)
        return 1
    if statuses["ERROR"]:
        # Synthetic data that makes built-in policies fail would measure error paths instead.
        print(f"{statuses['ERROR']} ERROR results on synthetic data", file=sys.stderr)
        return 1

    engine_rate = evaluations / min(engine_times)
    raw_rate = evaluations / min(raw_times)
    best = {"engine": min(engine_times), "raw": min(raw_times),
            **{name: min(times) for name, times in pieces.items()}}
    best["isolation_rest"] = best["engine"] - best["in_process"] - (best["raw_forked"]
                                                                    - best["raw"])
    batch_count = -(-args.resources // args.batch)
    print(f"policies: {len(engine.enabled_policy_ids)} enabled over {len(generators)} types; "
          f"resources: {args.resources} in batches of {args.batch}; "
          f"results: {dict(sorted(statuses.items()))}")
    for name, times in {"engine": engine_times, "raw": raw_times, **pieces}.items():
        print(f"{name + ' rounds (s):':23s} {', '.join(f'{t:.3f}' for t in times)}")
    print(f"per batch of {args.batch} (ms, best rounds): engine {best['engine'] / batch_count * 1e3:.1f}"
          f" = bare loop {best['raw'] / batch_count * 1e3:.1f}"
          f" + fresh process {(best['raw_forked'] - best['raw']) / batch_count * 1e3:.1f}"
          f" + evaluation loop {(best['in_process'] - best['raw']) / batch_count * 1e3:.1f}"
          f" (read-only copies {best['freeze'] / batch_count * 1e3:.1f},"
          f" result records {best['results'] / batch_count * 1e3:.1f})"
          f" + other isolation {best['isolation_rest'] / batch_count * 1e3:.1f};"
          f" worker page faults {min(faults) / batch_count:.0f}")
    summary = {
        "resources": args.resources,
        "policies": len(engine.enabled_policy_ids),
        "evaluations": evaluations,
        "engine_evals_per_s": round(engine_rate),
        "raw_evals_per_s": round(raw_rate),
        "ratio": round(engine_rate / raw_rate, 3),
        "peak_rss_mb": round(peak_rss_mb, 1),
        # CPU seconds of each piece for the whole workload (best round; see the docstring).
        "pieces_s": {name: round(best[name], 3) for name in (
            "engine", "raw", "raw_forked", "in_process", "freeze", "results", "isolation_rest")},
        "in_process_ratio": round(best["raw"] / best["in_process"], 3),
        "raw_forked_ratio": round(best["raw"] / best["raw_forked"], 3),
        "worker_page_faults_per_batch": round(min(faults) / batch_count),
    }
    line = json.dumps(summary)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "engine.json").write_text(line + "\n", encoding="utf-8")
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
