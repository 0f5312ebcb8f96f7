"""Build a policy bundle zip for the engine Lambda, after validating and testing every spec.

    python -m posture_engine.bundle_cli [PATH...] --out FILE [--resource-types A,B]
        [--known-types C,D] [--minimum-tests N] [--timeout S] [--no-install]

Runs the specs' tests exactly as `posture test` does (same output, same last line). Any
invalid spec, failed test or too-few-tests → exit 1 and FILE is not written (nor changed).
Otherwise FILE gets the zip (see bundle_zip) and the last line is
`wrote FILE: N policies, M globals, content hash <sha256>`.
"""

from __future__ import annotations

import argparse
import sys

from posture_engine import spec_tests
from posture_engine.bundle_zip import write_bundle_zip
from posture_engine.common import known_types_of
from posture_engine.engine import DEFAULT_TIMEOUT
from posture_engine.pack_deps import pack_requirements
from posture_engine.specs import load_specs

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m posture_engine.bundle_cli",
                                     description="Validate, test and bundle policies.")
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    parser.add_argument("--out", required=True, metavar="FILE")
    parser.add_argument("--resource-types", default=None, metavar="A,B,C",
                        help="the resource types Posture scans")
    parser.add_argument("--known-types", default=None, metavar="A,B,C",
                        help="Panther-documented types Posture does not scan (still valid)")
    parser.add_argument("--minimum-tests", type=int, default=0, metavar="N")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    parser.add_argument("--no-install", action="store_true",
                        help="do not install the packs' requirements.txt into this venv")
    args = parser.parse_args(argv)

    test_args = [*args.paths, "--timeout", str(args.timeout)]
    if args.resource_types is not None:
        test_args += ["--resource-types", args.resource_types]
    if args.known_types is not None:
        test_args += ["--known-types", args.known_types]
    if args.minimum_tests:
        test_args += ["--minimum-tests", str(args.minimum_tests)]
    if args.no_install:
        test_args.append("--no-install")
    if spec_tests.main(test_args) != 0:
        print(f"bundle not written: fix the failures above ({args.out} left unchanged)",
              file=sys.stderr)
        return 1

    loaded = load_specs(args.paths,
                        known_types_of(args.resource_types, args.known_types))
    if loaded.errors:  # the tests above saw the same specs; this would be a race with an edit
        print("\n".join(loaded.errors), file=sys.stderr)
        return 1
    try:
        manifest = write_bundle_zip(loaded, args.out, pack_requirements(args.paths))
    except (OSError, ValueError) as exc:
        print(f"bundle not written: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {len(manifest['policies'])} policies, "
          f"{len(manifest['globals'])} globals, content hash {manifest['contentHash']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
