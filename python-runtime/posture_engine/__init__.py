"""Posture's Python policy engine: loads Panther-style policies and evaluates resources.

The core is standard library only so the Lambda layer needs nothing else; PyYAML is imported
lazily, and only when specs are read from directories.
"""

from posture_engine.engine import Engine, Policy
from posture_engine.specs import SEVERITIES, LoadedSpecs, Spec, load_specs

__all__ = ["Engine", "Policy", "SEVERITIES", "LoadedSpecs", "Spec", "load_specs"]
