"""Policy-pack dependencies: a pack's root `requirements.txt`, installed into the project's venv.

`posture test` calls `ensure_requirements` before loading policies, so a pack whose policies
import third-party packages runs the same locally as in the Lambda layer (where build_layer
vendors the same file). An install is remembered by the SHA-256 of the requirements file: a
stamp file `<venv>/.posture-pack-requirements/<sha256>`, so an unchanged file costs one hash
and one stat per run, and an edited one installs again.
"""

from __future__ import annotations

import hashlib
import importlib
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["STAMP_DIR", "InstallOutcome", "Installer", "ensure_requirements", "pack_requirements",
           "pip_install"]

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
