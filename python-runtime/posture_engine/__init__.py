"""Posture's Python policy engine: loads Panther-style policies and evaluates resources.

The core is standard library only so the Lambda layer needs nothing else; PyYAML is imported
lazily, and only when specs are read from directories.
"""

# The engine's version, recorded in bundle manifests; kept equal to package.json's (tested).
__version__ = "0.1.0"

from posture_engine.engine import Engine, Policy
from posture_engine.specs import SEVERITIES, LoadedSpecs, Spec, load_specs

__all__ = ["Engine", "Policy", "SEVERITIES", "LoadedSpecs", "Spec", "__version__", "load_specs"]
