"""Run the unit tests in policy specs, with panther_analysis_tool `test` semantics.

    python -m posture_engine.spec_tests [PATH...] [--resource-types A,B] [--filter KEY[!]=V1,V2]...
        [--minimum-tests N] [--skip-disabled-tests] [--json] [--no-install]

A pack's root requirements.txt is installed into the running venv first (see pack_deps).

A test with ExpectedResult true passes when the policy returns True; one with false passes when
it returns False and no optional function (title, dedup, ...) raised. Mocks replace a module
attribute with a callable returning `returnValue` for the duration of the test. Output ends
with the line `N passed, N failed`; exit 1 on any failed test, invalid spec or too-few-tests.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any

from posture_engine.common import parse_resource_types
from posture_engine.engine import (DEFAULT_TIMEOUT, Policy, compile_specs, evaluate_pair,
                                   finish_result, run_policy)
from posture_engine.guard import capture_prints, time_limits
from posture_engine.isolation import Job, Limits, deadline_of, run_isolated
from posture_engine.pack_deps import ensure_requirements
from posture_engine.readonly import freeze
from posture_engine.specs import load_specs

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
    saved: dict[str, Any] = {}
    try:
        for mock in mocks:
            name = mock["objectName"]
            if not hasattr(module, name):
                raise _MockError(f"Mocks: {name!r} is not defined in the policy module")
            if name not in saved:
                saved[name] = getattr(module, name)
            value = mock.get("returnValue")
            setattr(module, name, lambda *_args, _value=value, **_kwargs: _value)
        yield
    finally:
        for name, original in saved.items():
            setattr(module, name, original)


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


def _parse_filter(text: str) -> SpecFilter:
    key, sep, values = text.partition("=")
    exclude = key.endswith("!")
    key = key[:-1] if exclude else key
    wanted = frozenset(v.strip().lower() for v in values.split(",") if v.strip())
    if not sep or not key.strip() or not wanted:
        raise argparse.ArgumentTypeError(
            f"expected KEY=VALUE[,VALUE...] or KEY!=VALUE[,VALUE...], got {text!r}")
    return SpecFilter(key.strip(), wanted, exclude)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.spec_tests",
                                     description="Run the tests in policy specs.")
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    parser.add_argument("--resource-types", default=None, metavar="A,B,C")
    parser.add_argument("--filter", action="append", type=_parse_filter, default=[],
                        metavar="KEY=V1,V2",
                        help="only specs whose KEY matches a value; KEY!=V1,V2 excludes them "
                             "(repeatable, ANDed; values case-insensitive)")
    parser.add_argument("--minimum-tests", type=int, default=0, metavar="N")
    parser.add_argument("--skip-disabled-tests", action="store_true")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    parser.add_argument("--json", action="store_true", help="one JSON line before the summary")
    parser.add_argument("--no-install", action="store_true",
                        help="do not install the packs' requirements.txt into this venv")
    args = parser.parse_args(argv)

    install_errors: list[str] = []
    if not args.no_install:
        for outcome in ensure_requirements(args.paths):
            if outcome.error:
                install_errors.append(outcome.error)
            elif outcome.installed:
                print(f"installed {outcome.requirements} (sha256 {outcome.sha256[:12]})",
                      file=sys.stderr)
    policies, errors = compile_specs(load_specs(args.paths,
                                                parse_resource_types(args.resource_types)))
    errors = install_errors + errors
    selected = [p for p in sorted(policies, key=lambda p: p.policy_id)
                if _matches(p.spec.data, args.filter)
                and not (args.skip_disabled_tests and not p.enabled)]

    outcomes = run_tests(selected, policies, args.timeout, Limits.from_env())
    too_few = [problem for policy in selected if args.minimum_tests
               and (problem := _minimum_tests_problem(policy, args.minimum_tests))]

    every = [o for results in outcomes.values() for o in results]
    passed = sum(o.passed for o in every)
    failed = len(every) - passed
    if args.json:
        print(json.dumps({"policies": {pid: [asdict(o) for o in results]
                                       for pid, results in outcomes.items()},
                          "errors": errors, "tooFewTests": too_few,
                          "passed": passed, "failed": failed}))
    else:
        _print_report(selected, outcomes, errors, too_few)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or errors or too_few else 0


def _print_report(selected: Sequence[Policy], outcomes: Mapping[str, list[CaseOutcome]],
                  errors: Sequence[str], too_few: Sequence[str]) -> None:
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
    if errors:
        print("Invalid specs:")
        for error in errors:
            print(f"  {error}")
        print()
    if too_few:
        print("Too few tests:")
        for problem in too_few:
            print(f"  {problem}")
        print()


if __name__ == "__main__":
    sys.exit(main())
