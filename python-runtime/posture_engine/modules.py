"""Turning spec sources into modules: globals importable by GlobalID, policies by PolicyID.

Globals are served by a finder on sys.meta_path, so a global that imports another global works
whatever order they are loaded in; each is then installed in sys.modules before any policy
loads. The built-in helpers are installed as `panther` unless a pack defines that global itself.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
from collections.abc import Sequence
from types import ModuleType

from posture_engine import lookup
from posture_engine import panther as panther_helpers
from posture_engine.common import describe_exception
from posture_engine.guard import CallTimedOut, call_with_limit, capture_prints, time_limits

__all__ = ["IMPORT_SECONDS", "GlobalSource", "global_module_names", "install_globals",
           "load_policy_module"]

# Module-level code may import heavy libraries; give it more room than a policy call.
IMPORT_SECONDS = 10.0

GlobalSource = tuple[str, str, str]  # (GlobalID, source, filename)


class _GlobalFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self) -> None:
        self.sources: dict[str, tuple[str, str]] = {}

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.sources:
            return None
        spec = importlib.util.spec_from_loader(fullname, self, origin=self.sources[fullname][1])
        if spec is not None:
            spec.has_location = True  # sets __file__, which some helpers read
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        source, filename = self.sources[module.__name__]
        exec(compile(source, filename, "exec"), module.__dict__)  # noqa: S102 - policy code


_finder = _GlobalFinder()


def _import_limited(name: str) -> None:
    def run() -> None:
        importlib.import_module(name)

    with time_limits() as enforced, capture_prints() as out:
        out.tag = f"load {name}"
        try:
            call_with_limit(run, (), IMPORT_SECONDS, enforced)
        except CallTimedOut:
            raise TimeoutError(f"import exceeded {IMPORT_SECONDS}s") from None


def install_globals(globals_: Sequence[GlobalSource]) -> dict[str, str]:
    """Import every global into sys.modules; returns GlobalID → 'ExcType: message' for failures."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    for global_id, source, filename in globals_:
        sys.modules.pop(global_id, None)  # a previous engine's version must not linger
        _finder.sources[global_id] = (source, filename)
    if not any(global_id == "panther" for global_id, _, _ in globals_):
        sys.modules["panther"] = panther_helpers
    errors: dict[str, str] = {}
    for global_id, _, _ in globals_:
        try:
            _import_limited(global_id)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure marks the global invalid
            errors[global_id] = describe_exception(exc)
        if global_id in errors:
            sys.modules.pop(global_id, None)
    # resource_lookup under Panther's module name: the pack's own helpers, or a module of its own.
    lookup.bind_helpers(any(global_id == lookup.HELPERS_MODULE and global_id not in errors
                            for global_id, _, _ in globals_))
    return errors


def global_module_names() -> list[str]:
    """The module names globals are importable by (every GlobalID installed, panther, and
    panther_aws_helpers)."""
    return [*_finder.sources, "panther",
            *([] if lookup.HELPERS_MODULE in _finder.sources else [lookup.HELPERS_MODULE])]


def load_policy_module(policy_id: str, source: str, filename: str) -> ModuleType:
    """Execute a policy's source as its own module; raises if it fails or lacks policy()."""
    name = "posture_policy_" + re.sub(r"\W", "_", policy_id)
    module = ModuleType(name)
    module.__file__ = filename
    # Registered because some stdlib code (dataclasses, typing) looks modules up by name.
    sys.modules[name] = module

    def run() -> None:
        exec(compile(source, filename, "exec"), module.__dict__)  # noqa: S102 - policy code

    try:
        with time_limits() as enforced, capture_prints() as out:
            out.tag = f"load {policy_id}"
            try:
                call_with_limit(run, (), IMPORT_SECONDS, enforced)
            except CallTimedOut:
                raise TimeoutError(f"import exceeded {IMPORT_SECONDS}s") from None
        if not callable(getattr(module, "policy", None)):
            raise _MissingPolicy("does not define policy()")
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


class _MissingPolicy(Exception):
    pass


def is_missing_policy(exc: BaseException) -> bool:
    return isinstance(exc, _MissingPolicy)
