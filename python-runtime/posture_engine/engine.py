"""The evaluator: each resource against each enabled policy for its type, one result per pair.

Failures are contained per (policy, resource) pair: an exception (any BaseException), a
non-bool return, a mutation attempt (the resource is a shared read-only view) or a time-limit
overrun yields ERROR for that pair only. Batches are evaluated in a worker process the engine
can kill and restart, which also checks that no policy changed what the others see (see
isolation); `evaluate_pair` is what runs in the worker, `finish_result` what the engine
process makes of its compact outcome.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from types import ModuleType
from typing import Any

from posture_engine.common import SEVERITIES, describe_exception
from posture_engine.guard import CallTimedOut, call_with_limit, capture_prints, time_limits
from posture_engine.isolation import Limits, evaluate_isolated
from posture_engine.lookup import MAX_LOOKUPS, provide as provide_lookups
from posture_engine.lookup import asked as lookup_asked
from posture_engine.lookup import end_pair as end_lookups
from posture_engine.modules import install_globals, is_missing_policy, load_policy_module
from posture_engine.readonly import freeze
from posture_engine.reports_select import Deselection, deselection_from_env, is_selected
from posture_engine.specs import LoadedSpecs, Spec, load_specs
from posture_engine.wire import to_wire

__all__ = ["DEFAULT_TIMEOUT", "OPTIONAL_FUNCTIONS", "Engine", "Limits", "Policy", "compile_specs",
           "evaluate_pair", "finish_result", "run_policy"]

DEFAULT_TIMEOUT = 1.0
# Evaluated only on FAIL, in this order.
OPTIONAL_FUNCTIONS = ("title", "dedup", "alert_context", "severity", "description", "reference",
                      "runbook", "destinations")
MAX_TEXT = 1000  # Panther's limit for titles and dedup strings

Result = dict[str, Any]


class Policy:
    """A loaded policy: its validated spec and its module, plus what every result repeats."""

    __slots__ = ("spec", "module", "policy_id", "optional", "outputs", "default_title",
                 "template", "suppressions", "selected")

    def __init__(self, spec: Spec, module: ModuleType) -> None:
        self.spec = spec
        self.module = module
        # False when the frameworks chosen leave it out (reports_select): then it is disabled.
        self.selected = True
        self.policy_id: str = spec.ident
        # The optional functions the module defines, in evaluation order.
        self.optional: tuple[str, ...] = tuple(
            name for name in OPTIONAL_FUNCTIONS if getattr(module, name, None) is not None)
        # (function name, result key, normalizer) for each of them, resolved once.
        self.outputs: tuple[tuple[str, str, Callable[[Any], Any]], ...] = tuple(
            (name, *_NORMALIZERS[name]) for name in self.optional)
        self.default_title: str = self.text("DisplayName") or self.policy_id
        self.suppressions: tuple[str, ...] = tuple(spec.data.get("Suppressions") or ())
        # The fields that are the same in every result of this policy, copied per pair
        # (a dict copy is far cheaper than building the result key by key).
        self.template: Result = {
            "policyId": self.policy_id, "resourceId": None, "resourceType": None,
            "status": "PASS", "errorMessage": None, "severity": self.severity, "title": None,
            "dedup": None, "suppressed": False, "alertContext": None,
            "description": self.text("Description"), "runbook": self.text("Runbook"),
            "reference": self.text("Reference"), "destinations": self.output_ids,
        }

    @property
    def enabled(self) -> bool:
        return self.spec.enabled and self.selected

    @property
    def resource_types(self) -> tuple[str, ...]:
        return tuple(self.spec.data.get("ResourceTypes") or ())

    @property
    def severity(self) -> str:
        return str(self.spec.data["Severity"])

    def text(self, name: str) -> str | None:
        value = self.spec.data.get(name)
        return value if isinstance(value, str) and value else None

    @property
    def output_ids(self) -> list[str] | None:
        return list(self.spec.data.get("OutputIds") or ()) or None

    def is_suppressed(self, resource_id: str) -> bool:
        return any(fnmatchcase(resource_id, p) for p in self.suppressions)


# ---- evaluation of one pair ---------------------------------------------------------------


def _text(name: str, value: Any, limit: int | None = None) -> str | None:
    if value is None or value == "":
        return None  # keep the default
    if not isinstance(value, str):
        raise TypeError(f"{name} returned {type(value).__name__}, expected str")
    return value[:limit] if limit else value


def _severity(value: Any) -> str | None:
    if isinstance(value, str):
        wanted = value.strip().lower()
        if wanted == "default":
            return None
        for severity in SEVERITIES:
            if severity.lower() == wanted:
                return severity
    raise ValueError(f"severity returned {value!r}, expected one of {', '.join(SEVERITIES)}")


def _json_key(key: Any) -> str:
    # The key conversions json.dumps makes, so alert contexts read the same either way.
    if isinstance(key, str):
        return key
    if key is True or key is False or key is None:
        return "true" if key is True else "false" if key is False else "null"
    if isinstance(key, (int, float)):
        return str(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


_INFINITY = float("inf")
_PLAIN_SCALARS = frozenset({str, int, bool, type(None)})


def _plain_json(value: Any) -> Any:
    """A plain copy of JSON-compatible data (tuples become lists); TypeError/ValueError otherwise.

    What json.loads(json.dumps(value, allow_nan=False)) would give, at a third of its cost:
    this runs for every failing pair whose policy has alert_context.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if value != value or value in (_INFINITY, -_INFINITY):
            raise ValueError(f"out of range float value {value!r} is not JSON compliant")
        return value
    # Scalars that need no conversion are copied inline: no call per item. (dict first: the
    # Mapping ABC check is far slower, and nearly every value is a dict or a list.)
    if isinstance(value, dict) or isinstance(value, Mapping):
        return {key if type(key) is str else _json_key(key):
                item if type(item) in _PLAIN_SCALARS else _plain_json(item)
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _PLAIN_SCALARS else _plain_json(item) for item in value]
    if isinstance(value, (str, int, float)):  # subclasses such as str or int enums
        return json.loads(json.dumps(value, allow_nan=False))
    raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")


def _alert_context(value: Any) -> Any:
    if value is None:
        return None
    if not (isinstance(value, dict) or isinstance(value, Mapping)):
        raise TypeError(f"alert_context returned {type(value).__name__}, expected dict")
    # A plain, JSON-safe copy: it crosses the worker/Lambda boundary as JSON.
    return _plain_json(value)


def _destinations(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not all(
        isinstance(item, str) for item in value
    ):
        raise TypeError(f"destinations returned {type(value).__name__}, expected a list of str")
    return list(value) or None


# function name → (result key, normalizer returning None to keep the default)
_NORMALIZERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "title": ("title", lambda v: _text("title", v, MAX_TEXT)),
    "dedup": ("dedup", lambda v: _text("dedup", v, MAX_TEXT)),
    "alert_context": ("alertContext", _alert_context),
    "severity": ("severity", _severity),
    "description": ("description", lambda v: _text("description", v)),
    "reference": ("reference", lambda v: _text("reference", v)),
    "runbook": ("runbook", lambda v: _text("runbook", v)),
    "destinations": ("destinations", _destinations),
}


Outcome = Any  # True (PASS) | str (ERROR message) | dict (FAIL: the fields functions set)


def evaluate_pair(policy: Policy, view: Any, seconds: float, enforced: bool) -> Outcome:
    """`_evaluate_pair`, or `{"lookups": [IDs]}` when the pair waits for resources to be looked
    up (see lookup: the caller supplies them and sends the resource again)."""
    outcome = _evaluate_pair(policy, view, seconds, enforced)
    if lookup_asked():
        pending, exceeded = end_lookups()
        if exceeded:
            return f"LookupError: more than {MAX_LOOKUPS} resource lookups in one evaluation"
        if pending:
            return {"lookups": pending}
    return outcome


def _evaluate_pair(policy: Policy, view: Any, seconds: float, enforced: bool) -> Outcome:
    """Run one policy (and on FAIL its optional functions) against one read-only resource.

    Returns the pair's compact outcome: True for PASS, the errorMessage (str) for ERROR, or
    for FAIL a dict of the result fields the optional functions set (with "outputErrors" when
    some failed). Never raises for policy faults: every BaseException (KeyboardInterrupt,
    SystemExit, GeneratorExit...) is that pair's ERROR. The outcome is plain JSON data, so an
    isolated worker can send it to the engine process as it is.
    """
    module = policy.module
    try:
        compliant = call_with_limit(module.policy, (view,), seconds, enforced)
        if compliant is True:  # the common case, settled before anything else
            return True
        if compliant is not False:
            raise TypeError(f"policy returned {type(compliant).__name__}, expected bool")
    except CallTimedOut:
        return f"TimeoutError: policy exceeded {seconds}s"
    except BaseException as exc:  # noqa: BLE001 - any fault is this pair's ERROR
        return _describe(exc, policy)

    fields: dict[str, Any] = {}
    output_errors: list[str] = []
    for name, key, normalize in policy.outputs:
        try:
            # Looked up at each call, so test Mocks that replace the function take effect.
            value = normalize(call_with_limit(getattr(module, name), (view,), seconds, enforced))
        except CallTimedOut:
            output_errors.append(f"{name}: TimeoutError: {name} exceeded {seconds}s")
            continue
        except BaseException as exc:  # noqa: BLE001 - reported, status stays FAIL
            output_errors.append(f"{name}: {_describe(exc, policy)}")
            continue
        if value is not None:
            fields[key] = value
    if output_errors:
        fields["outputErrors"] = output_errors
    return fields


def _describe(exc: BaseException, policy: Policy) -> str:
    """'ExcType: message (file.py:LINE in function)': the deepest frame in the policy's own
    file, when the exception passed through it. Only the file name, line and function are
    added, never a value."""
    try:
        text = describe_exception(exc)
    except BaseException:  # noqa: BLE001 - an exception whose str() itself fails
        text = f"{type(exc).__name__}: (message unavailable)"
    filename = policy.spec.source_path
    where = None
    frame = exc.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == filename:
            where = (frame.tb_lineno, frame.tb_frame.f_code.co_name)
        frame = frame.tb_next
    if where is None:
        return text
    return f"{text} ({os.path.basename(filename)}:{where[0]} in {where[1]})"


def finish_result(policy: Policy, outcome: Outcome, resource_id: str,
                  resource_type: str) -> Result:
    """The full result record of a pair from its compact outcome (see evaluate_pair)."""
    result = policy.template.copy()
    result["resourceId"] = resource_id
    result["resourceType"] = resource_type
    if policy.suppressions:
        result["suppressed"] = policy.is_suppressed(resource_id)
    if result["destinations"] is not None:
        result["destinations"] = list(result["destinations"])  # each result owns its list
    if outcome is True:
        return result
    if type(outcome) is str:
        result["status"] = "ERROR"
        result["errorMessage"] = outcome
        return result
    if "lookups" in outcome:  # waiting for looked-up resources: dropped from the reply
        result["status"] = "PENDING"
        result["lookups"] = outcome["lookups"]
        return result
    result["status"] = "FAIL"
    result.update(outcome)
    if result["title"] is None:
        result["title"] = policy.default_title
    return result


def run_policy(policy: Policy, view: Any, resource_id: str, resource_type: str,
               seconds: float, enforced: bool) -> Result:
    """Evaluate one policy against one (read-only) resource; never raises for policy faults."""
    return finish_result(policy, evaluate_pair(policy, view, seconds, enforced), resource_id,
                         resource_type)


# ---- loading ------------------------------------------------------------------------------


class PolicyNotLoaded(Exception):
    """Raised for every pair of a policy whose module could not be imported."""


def _unloaded_module(ident: str, problem: str) -> ModuleType:
    """What stands for a policy that failed to import: its policy() raises the import problem,
    so every resource of its types gets ERROR naming it. A policy that cannot run must not keep
    a stored verdict (a PASS) it can no longer vouch for: unreadable is never green."""
    module = ModuleType(f"posture_unloaded_{ident}")

    def policy(_resource: Any) -> bool:
        raise PolicyNotLoaded(problem)

    module.policy = policy  # type: ignore[attr-defined]
    return module


def compile_specs(loaded: LoadedSpecs,
                  keep_unloaded: bool = False) -> tuple[list[Policy], list[str]]:
    """Install the globals and import every policy; a spec that fails to import is an error.
    With `keep_unloaded` (the evaluating engine) it is still a policy, one whose every pair is
    ERROR (see _unloaded_module); the test runner and the bundle builders leave it out."""
    errors = list(loaded.errors)
    global_errors = install_globals([(g.ident, g.source, g.source_path) for g in loaded.globals])
    for spec in loaded.globals:
        if spec.ident in global_errors:
            errors.append(f"{spec.path}: Filename: {spec.source_path} failed to import: "
                          f"{global_errors[spec.ident]}")
    policies: list[Policy] = []
    for spec in loaded.policies:
        try:
            module = load_policy_module(spec.ident, spec.source, spec.source_path)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - the spec is reported invalid
            problem = ("does not define policy()" if is_missing_policy(exc)
                       else f"failed to import: {describe_exception(exc)}")
            errors.append(f"{spec.path}: Filename: {spec.source_path} {problem}")
            if not keep_unloaded:
                continue
            module = _unloaded_module(spec.ident, f"{os.path.basename(spec.source_path)} {problem}")
        policies.append(Policy(spec, module))
    return policies, errors


def _check_resources(resources: Any) -> None:
    if not isinstance(resources, (list, tuple)):
        raise ValueError(f"resources must be a list, got {type(resources).__name__}")
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict):
            raise ValueError(f"resources[{index}] must be an object, got {type(resource).__name__}")
        for key in ("ResourceId", "ResourceType"):
            value = resource.get(key)
            if not isinstance(value, str) or not value:
                raise ValueError(f"resources[{index}].{key} must be a non-empty string")


class Engine:
    """Loaded policies plus the evaluation loop; build with from_directories or from_bundle."""

    def __init__(self, policies: Sequence[Policy], errors: Sequence[str] = (),
                 timeout: float = DEFAULT_TIMEOUT, version: str | None = None,
                 limits: Limits | None = None, deselected: Deselection | None = None) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.policies: list[Policy] = sorted(policies, key=lambda p: p.policy_id)
        # The frameworks left out ($POSTURE_REPORTS_DESELECT unless given): their policies are
        # disabled here, at load, exactly as `Enabled: false` (see reports_select).
        self.deselected: Deselection = (deselection_from_env() if deselected is None
                                        else deselected)
        for policy in self.policies:
            policy.selected = is_selected(policy.spec.data, self.deselected)
        self.errors: list[str] = list(errors)
        self.timeout = float(timeout)
        self.version = version
        # How evaluation is isolated (a killable worker process per batch, by default); from
        # the POSTURE_ISOLATION / POSTURE_POLICY_GRACE / POSTURE_POLICY_MEMORY_MB variables.
        self.limits: Limits = limits if limits is not None else Limits.from_env()
        self._by_type: dict[str, list[Policy]] = {}
        # What the engine was built from (from_specs / from_bundle_zip): the console's draft
        # actions export its policies and merge drafts into it (console_actions).
        self.specs: LoadedSpecs | None = None
        self.manifest: dict[str, Any] | None = None

    @classmethod
    def from_specs(cls, loaded: LoadedSpecs, timeout: float = DEFAULT_TIMEOUT,
                   version: str | None = None) -> Engine:
        policies, errors = compile_specs(loaded, keep_unloaded=True)
        engine = cls(policies, errors, timeout, version)
        engine.specs = loaded
        return engine

    @classmethod
    def from_directories(cls, paths: Sequence[str], resource_types: frozenset[str] | None = None,
                         timeout: float = DEFAULT_TIMEOUT) -> Engine:
        return cls.from_specs(load_specs(paths, resource_types), timeout)

    @classmethod
    def from_bundle_file(cls, path: str | Path, timeout: float = DEFAULT_TIMEOUT) -> Engine:
        """An engine from a bundle zip on disk (the layer's /opt/posture/bundle.zip)."""
        return cls.from_bundle_zip(Path(path).read_bytes(), timeout, str(path))

    @classmethod
    def from_bundle_zip(cls, data: bytes, timeout: float = DEFAULT_TIMEOUT,
                        origin: str = "bundle") -> Engine:
        """An engine from `posture bundle` zip bytes, verified; its version is the contentHash."""
        from posture_engine.bundle_zip import read_bundle_zip

        loaded, manifest = read_bundle_zip(data, origin)
        engine = cls.from_specs(loaded, timeout, str(manifest["contentHash"]))
        engine.manifest = manifest
        return engine

    @property
    def enabled_policy_ids(self) -> list[str]:
        return [p.policy_id for p in self.policies if p.enabled]

    @property
    def deselected_policy_ids(self) -> list[str]:
        """Policies the chosen frameworks leave out (disabled at load)."""
        return [p.policy_id for p in self.policies if not p.selected]

    def policies_for(self, resource_type: str) -> list[Policy]:
        """Enabled policies that apply to a type (those listing it, and those listing none)."""
        cached = self._by_type.get(resource_type)
        if cached is None:
            cached = self._by_type[resource_type] = [
                p for p in self.policies
                if p.enabled and (not p.resource_types or resource_type in p.resource_types)
            ]
        return cached

    def reply(self, resources: Any, budget: int | None = None,
              lookups: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Evaluate and answer on the wire (wire.py): each policy's fixed fields once, compact
        results, cut at the byte budget with `next`; resources whose policies wait for looked-up
        resources are left out and listed under `retry` with the IDs to supply."""
        results = self.evaluate(resources, {} if lookups is None else lookups)
        retry: dict[str, set[str]] = {}
        for result in results:
            if result["status"] == "PENDING":
                retry.setdefault(result["resourceId"], set()).update(result["lookups"])
        if retry:
            results = [r for r in results if r["resourceId"] not in retry]
        templates = {p.policy_id: p.template for p in self.policies}
        return to_wire(results, resources, templates,
                       *(() if budget is None else (budget,)),
                       retry={k: sorted(v) for k, v in retry.items()})

    def evaluate(self, resources: Sequence[dict[str, Any]],
                 lookups: Mapping[str, Any] | None = None) -> list[Result]:
        """One result per (resource, applicable policy), resources in order, policies by ID.

        With isolation on (the default) the policies run in a worker process that is killed
        and replaced when a pair overruns its wall-clock deadline or the worker dies; see
        isolation. Raises ValueError (one line) when a resource lacks ResourceId/ResourceType.
        """
        _check_resources(resources)
        # What resource_lookup answers (None: no inventory, as in unit tests); set here, before
        # any evaluation child is forked.
        provide_lookups(lookups)
        if not self.limits.isolate:
            return self._evaluate_here(resources)
        policies_for = self.policies_for
        pairs = [(index, policy) for index, resource in enumerate(resources)
                 for policy in policies_for(resource["ResourceType"])]
        outcomes = evaluate_isolated(pairs, resources, self.timeout, self.limits, self.policies)
        results: list[Result] = []
        append = results.append
        position = 0
        for resource in resources:
            resource_id = resource["ResourceId"]
            resource_type = resource["ResourceType"]
            for policy in policies_for(resource_type):
                append(finish_result(policy, outcomes[position], resource_id, resource_type))
                position += 1
        return results

    def _evaluate_here(self, resources: Sequence[dict[str, Any]]) -> list[Result]:
        """The same loop in this process: no wall-clock kill, no protection of shared state."""
        results: list[Result] = []
        append, timeout, policies_for = results.append, self.timeout, self.policies_for
        with time_limits() as enforced, capture_prints() as out:
            for resource in resources:
                resource_id = resource["ResourceId"]
                resource_type = resource["ResourceType"]
                view = freeze(resource)  # one read-only copy, shared by all its policies
                for policy in policies_for(resource_type):
                    out.tag = (policy.policy_id, resource_id)
                    append(run_policy(policy, view, resource_id, resource_type, timeout,
                                      enforced))
                    out.flush()
        return results
