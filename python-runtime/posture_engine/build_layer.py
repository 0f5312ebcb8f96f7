"""Build the Lambda layer tree for the policy engine.

    python -m posture_engine.build_layer OUTDIR --policies DIR [DIR...] [--resource-types A,B]

Writes OUTDIR/python/posture_engine/ (this package, without caches or tests) and
OUTDIR/posture/bundle.json. A pack's requirements.txt (at the root of a --policies DIR) is
vendored into OUTDIR/python with pip. Any invalid spec → one line per problem on stderr, exit 1.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from posture_engine.bundle import build_bundle
from posture_engine.common import parse_resource_types
from posture_engine.engine import compile_specs
from posture_engine.specs import load_specs

__all__ = ["main"]

PACKAGE_DIR = Path(__file__).resolve().parent


def _vendor(requirements: Path, target: Path) -> str | None:
    """pip install -r requirements -t target; an error line on failure."""
    # cwd = the pack root so relative paths inside requirements.txt mean the pack's files.
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
               "-r", str(requirements.resolve()), "-t", str(target.resolve())]
    completed = subprocess.run(command, cwd=requirements.parent, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout)
        return f"{requirements}: pip install failed (exit {completed.returncode})"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.build_layer",
                                     description="Build the policy-engine Lambda layer.")
    parser.add_argument("outdir", metavar="OUTDIR")
    parser.add_argument("--policies", nargs="+", required=True, metavar="DIR")
    parser.add_argument("--resource-types", default=None, metavar="A,B,C")
    args = parser.parse_args(argv)

    loaded = load_specs(args.policies, parse_resource_types(args.resource_types))
    if loaded.errors:
        for error in loaded.errors:
            print(error, file=sys.stderr)
        return 1

    outdir = Path(args.outdir)
    python_dir = outdir / "python"
    bundle_dir = outdir / "posture"
    for owned in (python_dir, bundle_dir):  # only what this tool writes; never OUTDIR itself
        if owned.exists():
            shutil.rmtree(owned)
    python_dir.mkdir(parents=True)
    bundle_dir.mkdir(parents=True)

    for root in args.policies:
        requirements = Path(root) / "requirements.txt"
        if Path(root).is_dir() and requirements.is_file():
            if (vendor_error := _vendor(requirements, python_dir)) is not None:
                print(vendor_error, file=sys.stderr)
                return 1

    # Import every policy against the vendored dependencies, as the Lambda will.
    sys.path.insert(0, str(python_dir.resolve()))
    try:
        _, errors = compile_specs(loaded)
    finally:
        sys.path.remove(str(python_dir.resolve()))
    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        return 1

    shutil.copytree(PACKAGE_DIR, python_dir / "posture_engine",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "tests"))
    bundle = build_bundle(loaded)
    (bundle_dir / "bundle.json").write_text(json.dumps(bundle, indent=1, sort_keys=True) + "\n",
                                            encoding="utf-8")
    print(f"wrote {outdir}: {len(bundle['policies'])} policies, {len(bundle['globals'])} globals, "
          f"bundle version {bundle['version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
