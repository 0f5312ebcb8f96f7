"""Run the unit tests in policy specs, with panther_analysis_tool `test` semantics.

    python -m posture_engine.spec_tests [PATH...] [--resource-types A,B] [--known-types C,D]
        [--filter KEY[!]=V1,V2]... [--minimum-tests N] [--skip-disabled-tests] [--json]
        [--no-install]

A pack's root requirements.txt is installed into the running venv first (see pack_deps).

A test with ExpectedResult true passes when the policy returns True; one with false passes when
it returns False and no optional function (title, dedup, ...) raised. Mocks patch the named
module attribute with `unittest.mock.MagicMock(return_value=returnValue)` for the duration of
the test (as panther_analysis_tool does with patch.multiple); a Mock naming an attribute the
module does not define fails its test. `--resource-types` are the types Posture scans,
`--known-types` the Panther-documented ones it does not (retired by AWS, ...): a spec naming
either is valid, any other type makes it invalid.

The report ends with PAT's summary (Passed / Skipped / Failed / Invalid policies, each invalid
spec file with its reasons), then the line `N passed, N failed` (tests). With --json, stdout is
exactly one JSON document and every human line (installs, the summary) goes to stderr. A path
holding no policy spec is an error. Exit 1 on any failed test, invalid spec, too-few-tests or
path without policies.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any, NoReturn
from unittest import mock

from posture_engine.common import known_types_of
from posture_engine.engine import (DEFAULT_TIMEOUT, Policy, compile_specs, evaluate_pair,
                                   finish_result, run_policy)
from posture_engine.guard import capture_prints, time_limits
from posture_engine.isolation import Job, Limits, deadline_of, run_isolated
from posture_engine.pack_deps import ensure_requirements
from posture_engine.readonly import freeze
from posture_engine.specs import SPEC_FIELDS, LoadedSpecs, load_specs, no_policy_problems

__all__ = ["CaseOutcome", "main", "run_test"]


@dataclass
class CaseOutcome:
    policy_id: str
    name: str
    expected: bool
    passed: bool
    status: str  # PASS | FAIL | ERROR as the engine would report it
    title: str | None = None
    problems: list[str] = field(default_factory=list)


class _MockError(Exception):
    pass


@contextmanager
def _mocks(module: ModuleType, mocks: Sequence[Mapping[str, Any]]) -> Iterator[None]:
    """PAT's Mocks: each objectName patched with MagicMock(return_value=returnValue) while the
    test runs (policy and optional functions), restored afterwards. Like patch.multiple, a
    name the module does not define is an error (the test fails), never created."""
    if not mocks:
        yield
        return
    for entry in mocks:
        if not hasattr(module, entry["objectName"]):
            raise _MockError(f"Mocks: {entry['objectName']!r} is not defined in the policy module")
    # Built before the policy runs (in the worker, for isolated tests); the last Mock of a name wins.
    patched = {entry["objectName"]: mock.MagicMock(return_value=entry.get("returnValue"))
               for entry in mocks}
    with mock.patch.multiple(module, **patched):
        yield


def _ids(policy: Policy, resource: Mapping[str, Any]) -> tuple[str, str]:
    resource_id = resource.get("ResourceId")
    resource_type = resource.get("ResourceType")
    return (resource_id if isinstance(resource_id, str) else f"{policy.policy_id} test",
            resource_type if isinstance(resource_type, str)
            else (policy.resource_types or ("",))[0])


def run_test(policy: Policy, test: Mapping[str, Any], seconds: float,
             enforced: bool) -> CaseOutcome:
    """One spec test in this process (the CLI runs them in workers: see CaseJob)."""
    resource = test["Resource"]
    try:
        with _mocks(policy.module, test.get("Mocks") or ()):
            result = run_policy(policy, freeze(resource), *_ids(policy, resource), seconds,
                                enforced)
    except _MockError as exc:
        return _mock_failure(policy, test, str(exc))
    return _judge(policy, test, result)


def _mock_failure(policy: Policy, test: Mapping[str, Any], problem: str) -> CaseOutcome:
    return CaseOutcome(policy.policy_id, str(test["Name"]), bool(test["ExpectedResult"]),
                       passed=False, status="ERROR", problems=[problem])


def _missing_mock(policy: Policy, test: Mapping[str, Any]) -> str | None:
    for mock in test.get("Mocks") or ():
        if not hasattr(policy.module, mock["objectName"]):
            return f"Mocks: {mock['objectName']!r} is not defined in the policy module"
    return None


def _judge(policy: Policy, test: Mapping[str, Any], result: Mapping[str, Any]) -> CaseOutcome:
    outcome = CaseOutcome(policy.policy_id, str(test["Name"]), bool(test["ExpectedResult"]),
                          passed=False, status="ERROR")
    outcome.status = result["status"]
    outcome.title = result["title"]
    if result["status"] == "ERROR":
        outcome.problems.append(f"error: {result['errorMessage']}")
    elif outcome.expected and result["status"] == "FAIL":
        outcome.problems.append("expected compliant (true), policy returned false")
    elif not outcome.expected and result["status"] == "PASS":
        outcome.problems.append("expected non-compliant (false), policy returned true")
    elif not outcome.expected:
        outcome.problems.extend(f"{e}" for e in result.get("outputErrors", ()))
    outcome.passed = not outcome.problems
    return outcome


class CaseJob(Job):
    """Spec tests as units for isolation.run_isolated: each in a killable worker process."""

    def __init__(self, cases: Sequence[tuple[Policy, Mapping[str, Any]]], seconds: float,
                 limits: Limits, policies: Sequence[Policy]) -> None:
        self.cases, self.seconds, self.policies, self.count = cases, seconds, policies, len(cases)
        self.deadlines = {id(p): deadline_of(p, seconds, limits) for p, _ in cases}
        self.view: Any = None
        self.resource: Any = None

    def policy(self, index: int) -> Policy:
        return self.cases[index][0]

    def deadline(self, index: int) -> float:
        return self.deadlines[id(self.cases[index][0])]

    def run(self, index: int, enforced: bool, out: Any) -> Any:
        policy, test = self.cases[index]
        self.resource = test["Resource"]
        self.view = freeze(self.resource)
        out.tag = f"{policy.policy_id} test {test['Name']}"
        with _mocks(policy.module, test.get("Mocks") or ()):
            return evaluate_pair(policy, self.view, self.seconds, enforced)

    def intact(self) -> bool:
        return self.view is None or self.view == self.resource


def run_tests(selected: Sequence[Policy], every_policy: Sequence[Policy], seconds: float,
              limits: Limits) -> dict[str, list[CaseOutcome]]:
    """Every test of the selected policies; in worker processes unless isolation is off."""
    cases = [(policy, test) for policy in selected for test in policy.spec.data.get("Tests") or []]
    outcomes: dict[str, list[CaseOutcome]] = {policy.policy_id: [] for policy in selected}
    if not limits.isolate:
        with time_limits() as enforced, capture_prints() as out:
            for policy, test in cases:
                out.tag = f"{policy.policy_id} test {test['Name']}"
                outcomes[policy.policy_id].append(run_test(policy, test, seconds, enforced))
                out.flush()
        return outcomes
    # A Mock naming a missing attribute fails its test without running it.
    missing = [_missing_mock(policy, test) for policy, test in cases]
    decided = [f"Mocks: {problem}" if problem else None for problem in missing]
    results = run_isolated(CaseJob(cases, seconds, limits, every_policy), limits, decided)
    for (policy, test), problem, result in zip(cases, missing, results):
        if problem:
            case = _mock_failure(policy, test, problem)
        else:
            case = _judge(policy, test, finish_result(policy, result,
                                                      *_ids(policy, test["Resource"])))
        outcomes[policy.policy_id].append(case)
    return outcomes


@dataclass(frozen=True)
class SpecFilter:
    """One `--filter`: KEY=V1,V2 keeps specs whose KEY matches a value; KEY!=V1,V2 drops them."""

    key: str
    values: frozenset[str]  # lower-cased: values compare case-insensitively
    exclude: bool

    def matches(self, data: Mapping[str, Any]) -> bool:
        return bool(_field_values(data, self.key) & self.values) != self.exclude

    def __str__(self) -> str:
        return f"{self.key}{'!' if self.exclude else ''}={','.join(sorted(self.values))}"


def _parse_filter(text: str) -> SpecFilter:
    key, sep, values = text.partition("=")
    exclude = key.endswith("!")
    key = key[:-1] if exclude else key
    wanted = frozenset(v.strip().lower() for v in values.split(",") if v.strip())
    if not sep or not key.strip() or not wanted:
        raise argparse.ArgumentTypeError(
            f"expected KEY=VALUE[,VALUE...] or KEY!=VALUE[,VALUE...], got {text!r}")
    return SpecFilter(_spec_field(key.strip()), wanted, exclude)


def _spec_field(key: str) -> str:
    """The spec field a filter KEY names (any case); an unknown KEY is a usage error with the
    closest field, since it would match no spec and read as "nothing to test"."""
    by_lower = {f.lower(): f for f in SPEC_FIELDS}
    if key.lower() in by_lower:
        return by_lower[key.lower()]
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.6)
    hint = f"; did you mean {by_lower[close[0]]}?" if close else f" (spec fields: {', '.join(SPEC_FIELDS)})"
    raise argparse.ArgumentTypeError(f"unknown spec field {key!r}{hint}")


def _as_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _field_values(data: Mapping[str, Any], key: str) -> set[str]:
    """A spec field as a set of lower-cased strings (a list gives its items, a mapping its keys).

    Field names match case-insensitively too, so `--filter severity=high` works as typed.
    """
    name = next((k for k in data if isinstance(k, str) and k.lower() == key.lower()), key)
    # An absent Enabled means enabled, as for evaluation.
    value = data.get(name, True if name.lower() == "enabled" else None)
    if value is None:
        return set()
    items = value if isinstance(value, (list, dict)) else [value]
    return {_as_text(item).lower() for item in items}


def _matches(data: Mapping[str, Any], filters: Sequence[SpecFilter]) -> bool:
    """Filters are ANDed; within one filter the comma-separated values are ORed."""
    return all(f.matches(data) for f in filters)


def _minimum_tests_problem(policy: Policy, minimum: int) -> str | None:
    tests = policy.spec.data.get("Tests") or []
    if len(tests) < minimum:
        return f"{policy.policy_id}: {len(tests)} test(s), at least {minimum} required"
    expected = {bool(t["ExpectedResult"]) for t in tests}
    if minimum > 1 and expected != {True, False}:
        return (f"{policy.policy_id}: needs at least one compliant (true) and one "
                f"non-compliant (false) test")
    return None


def group_errors(loaded: LoadedSpecs, errors: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Error lines grouped by the spec file they are about, as PAT lists invalid specs (one
    entry per file, with every reason); a line about no spec file is an entry of its own."""
    files = sorted(loaded.files, key=len, reverse=True)  # the longest matching name wins
    groups: dict[str, list[str]] = {}
    for error in errors:
        owner = next((f for f in files if error.startswith(f + ": ")), None)
        if owner is None:
            groups.setdefault(error, [])
        else:
            groups.setdefault(owner, []).append(error[len(owner) + 2:])
    return list(groups.items())


class _OneLineErrors(argparse.ArgumentParser):
    """A usage error is one line on stderr and exit code 2 (argparse's code), without the usage block."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


@dataclass
class Summary:
    """PAT's Test Summary (policies) plus the test counts of the last line."""

    path: str
    passed: int  # policies whose tests all passed
    skipped: int  # disabled policies left out by --skip-disabled-tests
    failed: int  # policies with a failed test or too few tests
    invalid: int  # spec files (or paths) that could not be loaded
    tests_passed: int
    tests_failed: int


def main(argv: list[str] | None = None) -> int:
    parser = _OneLineErrors(prog="posture test",
                                     description="Run the tests in policy specs.")
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    parser.add_argument("--resource-types", default=None, metavar="A,B,C",
                        help="the resource types Posture scans")
    parser.add_argument("--known-types", default=None, metavar="A,B,C",
                        help="Panther-documented types Posture does not scan (still valid)")
    parser.add_argument("--filter", action="append", type=_parse_filter, default=[],
                        metavar="KEY=V1,V2",
                        help="only specs whose KEY matches a value; KEY!=V1,V2 excludes them "
                             "(repeatable, ANDed; values case-insensitive)")
    parser.add_argument("--minimum-tests", type=int, default=0, metavar="N")
    parser.add_argument("--skip-disabled-tests", action="store_true")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    parser.add_argument("--json", action="store_true",
                        help="stdout is one JSON document; human lines go to stderr")
    parser.add_argument("--no-install", action="store_true",
                        help="do not install the packs' requirements.txt into this venv")
    args = parser.parse_args(argv)
    # In --json mode stdout carries the document only.
    human = sys.stderr if args.json else sys.stdout

    install_errors: list[str] = []
    if not args.no_install:
        for outcome in ensure_requirements(args.paths):
            if outcome.error:
                install_errors.append(outcome.error)
            elif outcome.installed:
                print(f"installed {outcome.requirements} (sha256 {outcome.sha256[:12]})",
                      file=sys.stderr)
    loaded = load_specs(args.paths, known_types_of(args.resource_types, args.known_types))
    policies, errors = compile_specs(loaded)
    errors = install_errors + no_policy_problems(args.paths, loaded) + errors
    if args.filter and policies and not any(_matches(p.spec.data, args.filter) for p in policies):
        # As PAT: filters that leave nothing to test are an error, not a pass.
        errors.append(f"{' '.join(args.paths)}: no policy matched the filters "
                      f"{' '.join(str(f) for f in args.filter)}")
    skipped = [p for p in policies if args.skip_disabled_tests and not p.enabled]
    selected = [p for p in sorted(policies, key=lambda p: p.policy_id)
                if _matches(p.spec.data, args.filter) and p not in skipped]

    outcomes = run_tests(selected, policies, args.timeout, Limits.from_env())
    too_few = {policy.policy_id: problem for policy in selected if args.minimum_tests
               and (problem := _minimum_tests_problem(policy, args.minimum_tests))}

    every = [o for results in outcomes.values() for o in results]
    passed = sum(o.passed for o in every)
    invalid = group_errors(loaded, errors)
    failed_policies = [p.policy_id for p in selected
                       if p.policy_id in too_few or not all(o.passed for o in outcomes[p.policy_id])]
    summary = Summary(" ".join(args.paths), len(selected) - len(failed_policies),
                      len([p for p in skipped if _matches(p.spec.data, args.filter)]),
                      len(failed_policies), len(invalid), passed, len(every) - passed)
    if args.json:
        print(json.dumps({
            "path": args.paths,
            "passed": summary.tests_passed, "failed": summary.tests_failed,
            "invalid": summary.invalid,
            "policiesPassed": summary.passed, "policiesFailed": summary.failed,
            "policiesSkipped": summary.skipped,
            "policies": {pid: [asdict(o) for o in results] for pid, results in outcomes.items()},
            "failedPolicies": failed_policies,
            "invalidSpecs": [{"file": file, "problems": problems} for file, problems in invalid],
            "errors": errors, "tooFewTests": list(too_few.values())}))
    else:
        _print_report(selected, outcomes)
    failures = {pid: [o.name for o in outcomes[pid] if not o.passed]
                + ([too_few[pid].removeprefix(f"{pid}: ")] if pid in too_few else [])
                for pid in failed_policies}
    _print_summary(summary, failures, invalid, human)
    print(f"{summary.tests_passed} passed, {summary.tests_failed} failed", file=human)
    return 1 if summary.tests_failed or errors or too_few else 0


def _print_report(selected: Sequence[Policy], outcomes: Mapping[str, list[CaseOutcome]]) -> None:
    for policy in selected:
        print(f"{policy.policy_id} ({policy.spec.path})")
        results = outcomes[policy.policy_id]
        if not results:
            print("  (no tests)")
        for outcome in results:
            mark = "PASS" if outcome.passed else "FAIL"
            shown = f"  [{mark}] {outcome.name}"
            if outcome.passed and outcome.status == "FAIL" and outcome.title:
                shown += f"  → title: {outcome.title}"
            print(shown)
            for problem in outcome.problems:
                print(f"         {problem}")
        print()


_RULE = "--------------------------"


def _print_summary(summary: Summary, failures: Mapping[str, list[str]],
                   invalid: Sequence[tuple[str, list[str]]], out: Any) -> None:
    """PAT's closing sections: Failed Tests Summary (each failed policy with its failed tests
    and coverage problems), Invalid Tests Summary (each spec file with its reasons), then the
    Test Summary counts."""
    def say(text: str = "") -> None:
        print(text, file=out)

    if failures:
        say(_RULE)
        say("Failed Tests Summary")
        for policy_id, problems in failures.items():
            say(f"\t{policy_id}")
            for problem in problems:
                say(f"\t\t{problem}")
        say()
    if invalid:
        say(_RULE)
        say("Invalid Tests Summary")
        for file, problems in invalid:
            say(f"\t{file}")
            for problem in problems:
                say(f"\t\t{problem}")
        say()
    say(_RULE)
    say("Test Summary")
    say(f"\tPath: {summary.path}")
    say(f"\tPassed: {summary.passed}")
    say(f"\tSkipped: {summary.skipped}")
    say(f"\tFailed: {summary.failed}")
    say(f"\tInvalid: {summary.invalid}")
    say()


if __name__ == "__main__":
    sys.exit(main())
