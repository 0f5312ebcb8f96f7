"""Finding, reading and validating policy and global specs (Panther-compatible fields).

Every problem becomes one line `<spec file>: <field>: <message>`; a spec with problems is left
out and the rest still load. PyYAML is imported only when a .yml/.yaml spec is read.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posture_engine.common import SEVERITIES, one_line

__all__ = [
    "SEVERITIES",
    "SPEC_SUFFIXES",
    "LoadedSpecs",
    "Spec",
    "SpecFile",
    "discover",
    "load_specs",
    "no_policy_problems",
    "read_spec_file",
    "validate_spec",
]

SPEC_SUFFIXES = (".yml", ".yaml", ".json")
ANALYSIS_TYPES = ("policy", "global")
# Specs live in folders named like Panther's (`aws_s3_policies`); `global` admits the
# `global_helpers` folder where Panther packs keep their GlobalID modules.
_SPEC_DIR_MARKERS = ("policies", "global")
_SKIP_DIRS = frozenset({"__pycache__", "node_modules"})

Problem = tuple[str, str]  # (field, message); field "" when the spec as a whole is wrong
Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class SpecFile:
    """A spec found on disk: where it is, how to name it in messages, and a portable name."""

    path: Path
    display: str
    portable: str


@dataclass(frozen=True)
class Spec:
    """A valid spec together with its Python source."""

    kind: str  # "policy" | "global"
    ident: str  # PolicyID or GlobalID
    data: Mapping[str, Any]
    path: str  # spec file, as named in messages
    portable_path: str  # root-relative, so bundle hashes do not depend on the build machine
    source_path: str
    source: str

    @property
    def enabled(self) -> bool:
        return self.data.get("Enabled") is not False


@dataclass
class LoadedSpecs:
    policies: list[Spec] = field(default_factory=list)
    globals: list[Spec] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every spec file read, as named in errors


# ---- field checks -------------------------------------------------------------------------

_TYPE_NAMES = {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "integer",
               float: "number", type(None): "null"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else f"expected a string, got {_type_name(value)}"


def _non_empty_string(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected a string, got {_type_name(value)}"
    return None if value.strip() else "must not be empty"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {_type_name(value)}"


def _integer(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool)
    return None if ok else f"expected an integer, got {_type_name(value)}"


def _mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else f"expected a mapping, got {_type_name(value)}"


def _string_list(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"expected a list of strings, got {_type_name(value)}"
    for index, item in enumerate(value):
        if not isinstance(item, str):
            return f"item {index} is not a string (got {_type_name(item)})"
    return None


def _severity(value: Any) -> str | None:
    if isinstance(value, str) and value in SEVERITIES:
        return None
    return f"{value!r} is not one of {', '.join(SEVERITIES)}"


def _reports(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"expected a mapping of framework to controls, got {_type_name(value)}"
    for framework, controls in value.items():
        if not isinstance(framework, str):
            return f"framework {framework!r} is not a string"
        scalars = (str, int, float)  # unquoted YAML control ids such as 1.4 arrive as numbers
        if not isinstance(controls, list) or not all(
            isinstance(c, scalars) and not isinstance(c, bool) for c in controls
        ):
            return f"{framework}: expected a list of control ids"
    return None


_POLICY_FIELDS: dict[str, Check] = {
    "AnalysisType": _string,
    "Enabled": _boolean,
    "Filename": _non_empty_string,
    "PolicyID": _non_empty_string,
    "ResourceTypes": _string_list,
    "Severity": _severity,
    "DisplayName": _string,
    "Description": _string,
    "Runbook": _string,
    "Reference": _string,
    "Tags": _string_list,
    "Reports": _reports,
    "Suppressions": _string_list,
    "OutputIds": _string_list,
    "Tests": lambda value: None,  # checked item by item below
    # Accepted for compatibility with Panther specs; Posture does not act on them.
    "ActionDelaySeconds": _integer,
    "AutoRemediationID": _string,
    "AutoRemediationParameters": _mapping,
}
_POLICY_REQUIRED = ("AnalysisType", "Filename", "PolicyID", "Severity", "ResourceTypes")

_GLOBAL_FIELDS: dict[str, Check] = {
    "AnalysisType": _string,
    "Filename": _non_empty_string,
    "GlobalID": _non_empty_string,
    "Description": _string,
    "Tags": _string_list,
}
_GLOBAL_REQUIRED = ("AnalysisType", "Filename", "GlobalID")

# Every top-level field a policy or global spec may hold (what `posture test --filter KEY=` can name).
SPEC_FIELDS: tuple[str, ...] = tuple(sorted(set(_POLICY_FIELDS) | set(_GLOBAL_FIELDS)))

_TEST_FIELDS = ("Name", "ExpectedResult", "Resource", "Mocks", "Log")


def _unknown(name: Any, known: Iterable[str]) -> Problem:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return str(name), f"unknown field{hint}"


def _check_fields(data: Mapping[Any, Any], checks: Mapping[str, Check],
                  required: Sequence[str]) -> list[Problem]:
    problems: list[Problem] = []
    for name in required:
        if data.get(name) is None:
            problems.append((name, "required field is missing"))
    for name, value in data.items():
        check = checks.get(name) if isinstance(name, str) else None
        if check is None:
            problems.append(_unknown(name, checks))
        elif value is not None and (message := check(value)):
            problems.append((name, message))
    return problems


def _check_tests(tests: Any) -> list[Problem]:
    if tests is None:
        return []
    if not isinstance(tests, list):
        return [("Tests", f"expected a list, got {_type_name(tests)}")]
    problems: list[Problem] = []
    for index, test in enumerate(tests):
        where = f"Tests[{index}]"
        if not isinstance(test, dict):
            problems.append((where, f"expected a mapping, got {_type_name(test)}"))
            continue
        for name in test:
            if name not in _TEST_FIELDS:
                unknown, complaint = _unknown(name, _TEST_FIELDS)
                problems.append((f"{where}.{unknown}", complaint))
        if test.get("Name") is None:
            problems.append((f"{where}.Name", "required field is missing"))
        elif (message := _non_empty_string(test["Name"])) is not None:
            problems.append((f"{where}.Name", message))
        if "ExpectedResult" not in test:
            problems.append((f"{where}.ExpectedResult", "required field is missing"))
        elif (message := _boolean(test["ExpectedResult"])) is not None:
            problems.append((f"{where}.ExpectedResult", message))
        if "Resource" not in test:
            problems.append((f"{where}.Resource", "required field is missing"))
        elif (message := _mapping(test["Resource"])) is not None:
            problems.append((f"{where}.Resource", message))
        # Log is the event of a Panther rule test; accepted in policy specs, unused by them.
        if test.get("Log") is not None and (message := _mapping(test["Log"])) is not None:
            problems.append((f"{where}.Log", message))
        mocks = test.get("Mocks")
        if mocks is None:
            continue
        if not isinstance(mocks, list):
            problems.append((f"{where}.Mocks", f"expected a list, got {_type_name(mocks)}"))
            continue
        for mock_index, mock in enumerate(mocks):
            mock_where = f"{where}.Mocks[{mock_index}]"
            if not isinstance(mock, dict):
                problems.append((mock_where, f"expected a mapping, got {_type_name(mock)}"))
                continue
            extra = [k for k in mock if k not in ("objectName", "returnValue")]
            if extra:
                problems.append((f"{mock_where}.{extra[0]}", "unknown field"))
            # Required, as in PAT's schema (any value: the MagicMock returns it as it is).
            if "returnValue" not in mock:
                problems.append((f"{mock_where}.returnValue", "required field is missing"))
            name = mock.get("objectName")
            if not isinstance(name, str) or not name.isidentifier():
                problems.append((f"{mock_where}.objectName",
                                 "required field is missing" if name is None
                                 else f"{name!r} is not a Python name"))
    return problems


def validate_spec(data: Any, known_types: frozenset[str] | None = None) -> list[Problem]:
    """Problems with a parsed spec (empty when valid); file checks are the caller's."""
    if not isinstance(data, dict):
        if data is None:
            return [("", "spec is empty")]
        return [("", f"spec must be a mapping, got {_type_name(data)}")]
    analysis_type = data.get("AnalysisType")
    if analysis_type is None:
        return [("AnalysisType", "required field is missing")]
    if analysis_type not in ANALYSIS_TYPES:
        return [("AnalysisType", f"{analysis_type!r} is not one of {', '.join(ANALYSIS_TYPES)}")]
    if analysis_type == "global":
        problems = _check_fields(data, _GLOBAL_FIELDS, _GLOBAL_REQUIRED)
        global_id = data.get("GlobalID")
        if isinstance(global_id, str) and global_id and not all(
            part.isidentifier() for part in global_id.split(".")
        ):
            problems.append(("GlobalID", f"{global_id!r} is not a valid Python module name"))
        return problems
    problems = _check_fields(data, _POLICY_FIELDS, _POLICY_REQUIRED)
    problems += _check_tests(data.get("Tests"))
    resource_types = data.get("ResourceTypes")
    if known_types is not None and isinstance(resource_types, list):
        for resource_type in resource_types:
            if isinstance(resource_type, str) and resource_type not in known_types:
                close = difflib.get_close_matches(resource_type, sorted(known_types), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                problems.append(("ResourceTypes",
                                 f"{resource_type!r} is not a known resource type{hint}"))
    return problems


def format_problem(path: str, problem: Problem) -> str:
    name, message = problem
    return one_line(f"{path}: {name}: {message}" if name else f"{path}: {message}")


# ---- reading ------------------------------------------------------------------------------


class SpecReadError(Exception):
    """A spec file that cannot be parsed; the message is one line."""


_yaml_loader: Any = None


def _load_yaml(text: str) -> Any:
    global _yaml_loader
    try:
        import yaml  # lazy: only directory loading needs it, never the Lambda bundle path
    except ImportError as exc:
        raise SpecReadError("PyYAML is required to read YAML specs (pip install PyYAML)") from exc
    if _yaml_loader is None:
        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        # Resource timestamps must stay RFC 3339 strings as in the live model, not datetimes.
        class StringTimestampLoader(base):  # type: ignore[misc,valid-type]
            pass

        StringTimestampLoader.yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }
        _yaml_loader = StringTimestampLoader
    try:
        return yaml.load(text, Loader=_yaml_loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SpecReadError(f"invalid YAML{where}: {one_line(exc.problem or exc.context)}") from exc
    except yaml.YAMLError as exc:
        raise SpecReadError(f"invalid YAML: {one_line(exc)}") from exc


def read_spec_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecReadError(f"cannot read: {one_line(exc)}") from exc
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecReadError(
                f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    return _load_yaml(text)


# ---- discovery ----------------------------------------------------------------------------


def _in_spec_dir(parts: Iterable[str]) -> bool:
    return any(marker in part.lower() for part in parts for marker in _SPEC_DIR_MARKERS)


def discover(paths: Sequence[str]) -> tuple[list[SpecFile], list[str]]:
    """Spec files under `paths` (directories are walked; a spec file may be named directly)."""
    found: list[SpecFile] = []
    errors: list[str] = []
    seen: set[Path] = set()

    def add(path: Path, display: str, portable: str) -> None:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            found.append(SpecFile(path, display, portable))

    for given in paths:
        root = Path(given)
        if root.is_file():
            if root.suffix.lower() in SPEC_SUFFIXES:
                add(root, os.path.normpath(given), f"{root.resolve().parent.name}/{root.name}")
            else:
                errors.append(f"{given}: not a spec file ({', '.join(SPEC_SUFFIXES)})")
            continue
        if not root.is_dir():
            errors.append(f"{given}: no such file or directory")
            continue
        root_name = root.resolve().name
        for directory, subdirs, files in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS and not d.startswith("."))
            relative = Path(directory).relative_to(root)
            if not _in_spec_dir((root_name, *relative.parts)):
                continue
            for name in sorted(files):
                if Path(name).suffix.lower() in SPEC_SUFFIXES:
                    rel = (relative / name).as_posix()
                    add(Path(directory) / name, os.path.normpath(os.path.join(given, rel)),
                        f"{root_name}/{rel}")
    return found, errors


def no_policy_problems(paths: Sequence[str], loaded: LoadedSpecs) -> list[str]:
    """One line per given path in which no policy spec can be found (an empty directory, no
    folder whose name contains `policies`), and one when the paths hold only globals: testing,
    bundling or uploading such a path would otherwise pass with zero policies."""
    looked_for = (f"a {'/'.join(SPEC_SUFFIXES)} spec in a folder whose name contains "
                  f"\"policies\" (or \"global\" for helpers)")
    problems = []
    for given in paths:
        if not Path(given).exists() or (Path(given).is_file()):
            continue  # discover() reports a missing path or a non-spec file already
        found, _ = discover([given])
        if not found:
            problems.append(f"{given}: no policy found: looked for {looked_for}")
    specs_read = len(loaded.files) > len(loaded.globals)  # a policy spec, or an invalid one
    if not problems and not loaded.policies and not specs_read and loaded.files:
        problems.append(f"{' '.join(paths)}: no policy found: only global helpers "
                        "(AnalysisType: global), no spec with AnalysisType: policy")
    return problems


def _outside_spec_folder(folder: Path, filename: str) -> str | None:
    """Why `filename` is not a file inside the spec's folder (None when it is).

    A pack is self-contained: its bundle holds the spec's folder, and a test run must read the
    same source the bundle ships. An absolute path, a `..` step or a symlink that leads out of
    the folder would read a file from elsewhere on the machine.
    """
    if os.path.isabs(filename) or filename.startswith(("/", "\\")) or Path(filename).drive:
        return "is an absolute path; name a file in the spec's folder"
    parts = filename.replace("\\", "/").split("/")
    if ".." in parts:
        return "leaves the spec's folder (..); name a file in the spec's folder"
    root = folder.resolve()
    target = (folder / filename).resolve()
    if target != root and root not in target.parents:
        return "resolves outside the spec's folder (a symlink?); name a file in the spec's folder"
    return None


def load_specs(paths: Sequence[str], known_types: frozenset[str] | None = None) -> LoadedSpecs:
    """Read and validate every spec under `paths` with its source; invalid ones become errors."""
    files, errors = discover(paths)
    loaded = LoadedSpecs(errors=errors, files=[f.display for f in files])
    owners: dict[tuple[str, str], str] = {}
    for spec_file in files:
        try:
            data = read_spec_file(spec_file.path)
        except SpecReadError as exc:
            loaded.errors.append(f"{spec_file.display}: {exc}")
            continue
        problems = validate_spec(data, known_types)
        if problems:
            loaded.errors.extend(format_problem(spec_file.display, p) for p in problems)
            continue
        kind = data["AnalysisType"]
        ident = data["PolicyID"] if kind == "policy" else data["GlobalID"]
        id_field = "PolicyID" if kind == "policy" else "GlobalID"
        if (kind, ident) in owners:
            loaded.errors.append(
                f"{spec_file.display}: {id_field}: {ident!r} is already defined in "
                f"{owners[(kind, ident)]}")
            continue
        filename = data["Filename"]
        source_file = spec_file.path.parent / filename
        source_display = os.path.normpath(os.path.join(os.path.dirname(spec_file.display), filename))
        if not filename.endswith(".py"):
            loaded.errors.append(f"{spec_file.display}: Filename: {filename!r} is not a .py file")
            continue
        if (escape := _outside_spec_folder(spec_file.path.parent, filename)) is not None:
            loaded.errors.append(f"{spec_file.display}: Filename: {filename!r} {escape}")
            continue
        try:
            source = source_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            loaded.errors.append(f"{spec_file.display}: Filename: {filename!r} does not exist")
            continue
        except (OSError, UnicodeDecodeError) as exc:
            loaded.errors.append(f"{spec_file.display}: Filename: cannot read {filename!r}: "
                                 f"{one_line(exc)}")
            continue
        owners[(kind, ident)] = spec_file.display
        spec = Spec(kind, ident, data, spec_file.display, spec_file.portable, source_display, source)
        (loaded.policies if kind == "policy" else loaded.globals).append(spec)
    return loaded
