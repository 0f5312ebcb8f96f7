"""Policy-pack dependencies: a pack's root `requirements.txt`, installed into the project's venv
and vendored into the Lambda layer for the engine's platform.

`posture test` calls `ensure_requirements` before loading policies, so a pack whose policies
import third-party packages runs the same locally as in the Lambda layer (where build_layer
vendors the same file). An install is remembered by the SHA-256 of the requirements file: a
stamp file `<venv>/.posture-pack-requirements/<sha256>`, so an unchanged file costs one hash
and one stat per run, and an edited one installs again.

`vendor_for_lambda` installs the same file for the Lambda's runtime and architecture (what
lib/constructs/policy-engine.ts declares and passes to build_layer), never for the build
machine: `pip install --target` with `--platform manylinux_2_X_<machine>` (every glibc the
runtime's Amazon Linux supports), `--python-version`, `--implementation cp` and
`--only-binary=:all:`. A requirement with no such wheel is built into a wheel here once; when that
wheel is pure Python (`py3-none-any`) it is used, otherwise the build fails with one line naming
the package, the platform and what to do. Last, the tags of every vendored distribution are
checked against the platform: pip builds a source distribution given by path or URL for this
machine, --platform or not.
"""

from __future__ import annotations

import hashlib
import importlib
import platform as host
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["STAMP_DIR", "InstallOutcome", "Installer", "LambdaPlatform", "ensure_requirements",
           "pack_requirements", "pip_install", "vendor_for_host", "vendor_for_lambda"]

STAMP_DIR = ".posture-pack-requirements"
REQUIREMENTS = "requirements.txt"


@dataclass(frozen=True)
class InstallOutcome:
    requirements: Path
    sha256: str
    installed: bool  # False when the stamp showed this exact file was installed already
    error: str | None = None


def pack_requirements(paths: Sequence[str]) -> list[Path]:
    """The requirements files at the root of each given pack directory (files are skipped)."""
    found: list[Path] = []
    for given in paths:
        candidate = Path(given) / REQUIREMENTS
        if Path(given).is_dir() and candidate.is_file() and candidate.resolve() not in {
                f.resolve() for f in found}:
            found.append(candidate)
    return found


def _venv_prefix(python: str) -> Path | None:
    """sys.prefix of `python` when it runs inside a virtual environment, else None."""
    probe = "import sys; print(sys.prefix if sys.prefix != sys.base_prefix else '')"
    if python == sys.executable:
        return Path(sys.prefix) if sys.prefix != sys.base_prefix else None
    completed = subprocess.run([python, "-c", probe], capture_output=True, text=True,
                               check=False)
    prefix = completed.stdout.strip()
    return Path(prefix) if completed.returncode == 0 and prefix else None


# (requirements file, target interpreter) -> (exit code, pip's output)
Installer = Callable[[Path, str], tuple[int, str]]


def pip_install(requirements: Path, target: str) -> tuple[int, str]:
    """`pip install -r requirements` into the target interpreter's environment."""
    # pip's own --python runs this pip for the target interpreter, which then needs no pip
    # of its own. cwd = the pack root, so relative paths in the file mean the pack's files.
    command = [sys.executable, "-m", "pip",
               *(["--python", target] if target != sys.executable else []),
               "install", "--quiet", "--disable-pip-version-check",
               "-r", str(requirements.resolve())]
    completed = subprocess.run(command, cwd=requirements.parent, capture_output=True,
                               text=True, check=False)
    return completed.returncode, (completed.stderr or completed.stdout)


def ensure_requirements(paths: Sequence[str], python: str | None = None,
                        installer: Installer = pip_install) -> list[InstallOutcome]:
    """Install each pack's requirements.txt into `python`'s venv unless already stamped.

    `python` defaults to the running interpreter (the project's .venv when run through
    `posture test`). Installing into an interpreter outside a venv is refused: a policy pack
    must not change the system Python.
    """
    target = python or sys.executable
    outcomes: list[InstallOutcome] = []
    files = pack_requirements(paths)
    if not files:
        return outcomes
    prefix = _venv_prefix(target)
    for requirements in files:
        digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
        if prefix is None:
            outcomes.append(InstallOutcome(requirements, digest, False,
                                           f"{requirements}: not installed: {target} is not "
                                           "inside a virtual environment (run npm ci for .venv)"))
            continue
        stamp = prefix / STAMP_DIR / digest
        if stamp.is_file():
            outcomes.append(InstallOutcome(requirements, digest, False))
            continue
        code, output = installer(requirements, target)
        if code != 0:
            detail = output.strip().splitlines()
            outcomes.append(InstallOutcome(
                requirements, digest, False,
                f"{requirements}: pip install failed (exit {code})"
                + (f": {detail[-1]}" if detail else "")))
            continue
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(f"{requirements.resolve()}\n", encoding="utf-8")
        outcomes.append(InstallOutcome(requirements, digest, True))
    importlib.invalidate_caches()  # packages installed just now must be importable at once
    return outcomes


# ------------------------------------------------------------------ the Lambda's platform

# CDK Architecture.name -> the machine in wheel platform tags.
_MACHINES = {"arm64": "aarch64", "x86_64": "x86_64"}
# Lambda's Python runtimes from python3.12 on run on Amazon Linux 2023 (glibc 2.34); the earlier
# ones on Amazon Linux 2 (glibc 2.26).
_AL2023_FROM = (3, 12)
_GLIBC = {True: 34, False: 26}
# The oldest manylinux glibc per machine (manylinux1 = 2.5 on x86_64; aarch64 starts at 2.17).
_OLDEST_GLIBC = {"aarch64": 17, "x86_64": 5}
_LEGACY_ALIASES = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
# How many source-only requirements one build may turn into pure wheels.
MAX_SOURCE_BUILDS = 20


@dataclass(frozen=True)
class LambdaPlatform:
    """The engine function's runtime and architecture, as the CDK construct names them."""

    runtime: str  # Runtime.name, e.g. "python3.13"
    architecture: str  # Architecture.name: "arm64" or "x86_64"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"python3\.\d{1,2}", self.runtime):
            raise ValueError(f"--lambda-runtime: {self.runtime!r} is not a Lambda Python runtime "
                             "like python3.13")
        if self.architecture not in _MACHINES:
            raise ValueError(f"--architecture: {self.architecture!r} is not one of "
                             f"{', '.join(_MACHINES)}")

    @property
    def python_version(self) -> tuple[int, int]:
        major, minor = self.runtime.removeprefix("python").split(".")
        return int(major), int(minor)

    @property
    def machine(self) -> str:
        return _MACHINES[self.architecture]

    @property
    def glibc_minor(self) -> int:
        return _GLIBC[self.python_version >= _AL2023_FROM]

    def platform_tags(self) -> list[str]:
        """Every manylinux tag the runtime's glibc runs, newest first (with the legacy aliases)."""
        tags: list[str] = []
        for minor in range(self.glibc_minor, _OLDEST_GLIBC[self.machine] - 1, -1):
            tags.append(f"manylinux_2_{minor}_{self.machine}")
            if minor in _LEGACY_ALIASES and (minor >= 17 or self.machine == "x86_64"):
                tags.append(f"{_LEGACY_ALIASES[minor]}_{self.machine}")
        return tags

    def pip_args(self) -> list[str]:
        major, minor = self.python_version
        args = ["--implementation", "cp", "--python-version", f"{major}.{minor}",
                "--only-binary=:all:"]
        for tag in self.platform_tags():
            args += ["--platform", tag]
        return args

    def __str__(self) -> str:
        major, minor = self.python_version
        return (f"{self.runtime} on {self.architecture} (cp{major}{minor} manylinux "
                f"glibc<=2.{self.glibc_minor} {self.machine}, or pure Python)")

    def supports(self, tag: str) -> bool:
        """True when a wheel tag (`py-abi-platform`, each part possibly `.`-compressed) runs here."""
        parts = tag.split("-")
        if len(parts) != 3:
            return False
        pythons, abis, platforms = (part.split(".") for part in parts)
        major, minor = self.python_version
        plat_ok = any(p == "any" or p in self.platform_tags() for p in platforms)

        def python_ok(py: str, abi: str) -> bool:
            found = re.fullmatch(r"(py|cp)(\d)(\d*)", py)
            if not found or int(found[2]) != major:
                return False
            version = int(found[3]) if found[3] else None
            if abi == f"cp{major}{minor}":  # built for exactly this CPython
                return found[1] == "cp" and version == minor
            if abi == "abi3":  # the stable ABI of this or an older CPython
                return found[1] == "cp" and version is not None and version <= minor
            if abi == "none":  # no ABI: any Python 3 (or exactly this one)
                return version is None or version <= minor if found[1] == "py" else version == minor
            return False

        return plat_ok and any(python_ok(py, abi) for py in pythons for abi in abis)

    def matches_host(self) -> bool:
        """True when files vendored for this platform also import in the running interpreter."""
        libc, version = host.libc_ver()
        glibc_ok = libc == "glibc" and tuple(int(x) for x in version.split(".")[:2]) >= (
            2, self.glibc_minor)
        return (sys.platform == "linux" and host.machine() == self.machine
                and sys.version_info[:2] == self.python_version and glibc_ok)


def _pip(args: list[str], cwd: Path) -> tuple[int, str]:
    completed = subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd,
                               capture_output=True, text=True, check=False)
    return completed.returncode, (completed.stdout + completed.stderr)


def _last_line(output: str) -> str:
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


# pip's verdict when --only-binary leaves nothing installable for a requirement.
_NO_DISTRIBUTION = re.compile(r"No matching distribution found for (\S+)")
# name-version(-build)?-python-abi-platform.whl
_WHEEL = re.compile(r"^(?P<name>[^-]+)-[^-]+(?:-\d[^-]*)?-(?P<py>[^-]+)-(?P<abi>[^-]+)-"
                    r"(?P<plat>[^-]+)\.whl$")
# Lines of a requirements file that say where packages come from (kept for a source build).
_INDEX_OPTIONS = ("-i", "--index-url", "--extra-index-url", "--no-index", "-f", "--find-links",
                  "--trusted-host")


def _index_options(requirements: Path) -> list[str]:
    options: list[str] = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0].split("=", 1)[0] in _INDEX_OPTIONS:
            options += words
    return options


def _pure_wheel(requirements: Path, requirement: str, wheelhouse: Path,
                target: LambdaPlatform) -> str | None:
    """Builds `requirement` into a wheel on this machine; keeps it in `wheelhouse` when it is
    pure Python. Returns the one-line error otherwise."""
    scratch = Path(tempfile.mkdtemp(prefix="posture-sdist-"))
    try:
        code, output = _pip(["wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                             "--wheel-dir", str(scratch), *_index_options(requirements),
                             requirement], cwd=requirements.parent)
        built = sorted(scratch.glob("*.whl"))
        advice = (f"pin a version that publishes a wheel for {target}, or put such a wheel in the "
                  "pack (e.g. ./wheels/ with --find-links ./wheels in requirements.txt)")
        if code != 0 or not built:
            return (f"{requirements}: {requirement}: no wheel for {target}, and no source "
                    f"distribution that builds here ({_last_line(output)}); {advice}")
        match = _WHEEL.match(built[0].name)
        pure = bool(match and match["abi"] == "none" and match["plat"] == "any"
                    and all(tag.startswith("py3") or tag == "py2" for tag in match["py"].split(".")))
        if not pure:
            return (f"{requirements}: {requirement}: no wheel for {target}, and it is not pure "
                    f"Python (a build here gives {built[0].name}, for this machine only); {advice}")
        shutil.copy2(built[0], wheelhouse / built[0].name)
        return None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def vendor_for_lambda(requirements: Path, target_dir: Path, target: LambdaPlatform) -> str | None:
    """`pip install -r requirements --target target_dir` for the Lambda's platform; None, or the
    one-line error. Source-only requirements that build into pure-Python wheels are used as such
    (see the module docstring); cwd is the pack root, so relative paths mean the pack's files."""
    wheelhouse = Path(tempfile.mkdtemp(prefix="posture-wheelhouse-"))
    built: set[str] = set()
    try:
        while True:
            # --no-compile: no bytecode of the build machine's Python in the layer.
            code, output = _pip(["install", "--quiet", "--disable-pip-version-check",
                                 "--no-compile", "--target", str(target_dir.resolve()),
                                 *target.pip_args(), "--find-links", str(wheelhouse),
                                 "-r", str(requirements.resolve())], cwd=requirements.parent)
            if code == 0:
                return _foreign_distribution(requirements, target_dir, target)
            missing = _NO_DISTRIBUTION.search(output)
            if missing is None or missing[1] in built or len(built) >= MAX_SOURCE_BUILDS:
                return (f"{requirements}: pip install for {target} failed (exit {code}): "
                        f"{_last_line(output)}")
            if (problem := _pure_wheel(requirements, missing[1], wheelhouse, target)) is not None:
                return problem
            built.add(missing[1])
    finally:
        shutil.rmtree(wheelhouse, ignore_errors=True)


def _foreign_distribution(requirements: Path, site: Path, target: LambdaPlatform) -> str | None:
    """The error line for a vendored distribution that does not run on the target (pip builds a
    source distribution given by path or URL for this machine even with --platform)."""
    for wheel in sorted(site.glob("*.dist-info/WHEEL")):
        tags = [line.split(":", 1)[1].strip() for line in wheel.read_text(encoding="utf-8")
                .splitlines() if line.startswith("Tag:")]
        if not any(target.supports(tag) for tag in tags):
            name = wheel.parent.name.removesuffix(".dist-info")
            return (f"{requirements}: {name} was installed as {', '.join(tags) or 'an untagged wheel'}, "
                    f"which does not run on {target} (a source distribution given by path or URL is "
                    "built for this machine); give a wheel for that platform instead, or a "
                    "requirement pip can find one for")
    return None


def vendor_for_host(requirements: Path, target_dir: Path) -> str | None:
    """`pip install -r requirements --target target_dir` for this machine; None, or an error line."""
    code, output = _pip(["install", "--quiet", "--disable-pip-version-check", "--target",
                         str(target_dir.resolve()), "-r", str(requirements.resolve())],
                        cwd=requirements.parent)
    return None if code == 0 else (f"{requirements}: pip install on this machine failed "
                                   f"(exit {code}): {_last_line(output)}")
