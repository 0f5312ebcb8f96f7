"""Build the Lambda layer tree for the policy engine.

    python -m posture_engine.build_layer OUTDIR --policies DIR [DIR...] [--resource-types A,B]
        --lambda-runtime python3.13 --architecture arm64

Writes OUTDIR/python/posture_engine/ (this package, without caches or tests) and
OUTDIR/posture/bundle.zip. A pack's requirements.txt (at the root of a --policies DIR) is
vendored into OUTDIR/python with pip for the engine function's runtime and architecture
(lib/constructs/policy-engine.ts passes the ones it deploys; see pack_deps.vendor_for_lambda),
not for the build machine. Every policy is then imported against those dependencies — or, when
the build machine cannot import files built for the Lambda (another architecture or Python),
against the same requirements installed for this machine in a scratch directory. Any invalid
spec or dependency → one line per problem on stderr, exit 1.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from posture_engine.bundle_zip import write_bundle_zip
from posture_engine.common import parse_resource_types
from posture_engine.engine import compile_specs
from posture_engine.pack_deps import (LambdaPlatform, pack_requirements, vendor_for_host,
                                      vendor_for_lambda)
from posture_engine.specs import load_specs

__all__ = ["main"]

PACKAGE_DIR = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.build_layer",
                                     description="Build the policy-engine Lambda layer.")
    parser.add_argument("outdir", metavar="OUTDIR")
    parser.add_argument("--policies", nargs="+", required=True, metavar="DIR")
    parser.add_argument("--resource-types", default=None, metavar="A,B,C")
    parser.add_argument("--lambda-runtime", required=True, metavar="python3.X",
                        help="the engine function's runtime (CDK Runtime.name)")
    parser.add_argument("--architecture", required=True, metavar="arm64|x86_64",
                        help="the engine function's architecture (CDK Architecture.name)")
    args = parser.parse_args(argv)
    try:
        target = LambdaPlatform(args.lambda_runtime, args.architecture)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1

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

    requirements = pack_requirements(args.policies)
    for file in requirements:
        if (vendor_error := vendor_for_lambda(file, python_dir, target)) is not None:
            print(vendor_error, file=sys.stderr)
            return 1

    # Import every policy against the vendored dependencies, as the Lambda will (or against the
    # same requirements for this machine, when it cannot load what was vendored for the Lambda).
    with tempfile.TemporaryDirectory(prefix="posture-host-deps-") as scratch:
        import_dir = python_dir
        if requirements and not target.matches_host():
            import_dir = Path(scratch)
            for file in requirements:
                if (host_error := vendor_for_host(file, import_dir)) is not None:
                    print(f"{host_error} (installed here only to import the policies)",
                          file=sys.stderr)
                    return 1
        sys.path.insert(0, str(import_dir.resolve()))
        try:
            _, errors = compile_specs(loaded)
        finally:
            sys.path.remove(str(import_dir.resolve()))
            # Modules imported from the scratch directory must not outlive it in this process.
            for name, module in list(sys.modules.items()):
                if str(getattr(module, "__file__", "") or "").startswith(str(Path(scratch).resolve())):
                    del sys.modules[name]
    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        return 1

    shutil.copytree(PACKAGE_DIR, python_dir / "posture_engine",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "tests"))
    # The same bundle format `posture bundle` writes and the engine reads from S3 (bundle_zip).
    manifest = write_bundle_zip(loaded, bundle_dir / "bundle.zip", requirements)
    print(f"wrote {outdir}: {len(manifest['policies'])} policies, {len(manifest['globals'])} globals, "
          f"bundle version {manifest['contentHash']}, dependencies for {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
