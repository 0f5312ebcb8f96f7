"""Pack requirements.txt: installed into the target venv once per content hash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import RUNTIME_DIR, Pack, make_wheel

from posture_engine.pack_deps import STAMP_DIR, ensure_requirements, pack_requirements

USES_DEP = "import tinydep\ndef policy(resource):\n    return tinydep.ANSWER == 42\n"


def make_venv(path: Path, system_site_packages: bool = False) -> Path:
    """A venv without pip of its own (fast to create); pip --python installs into it."""
    args = [sys.executable, "-m", "venv", "--without-pip", str(path)]
    if system_site_packages:
        args.insert(-1, "--system-site-packages")
    subprocess.run(args, check=True, timeout=60)
    return path / "bin" / "python"


def imports_tinydep(python: Path) -> bool:
    return subprocess.run([str(python), "-c", "import tinydep"], capture_output=True,
                          timeout=30).returncode == 0


@pytest.fixture
def dep_pack(pack: Pack) -> Pack:
    make_wheel(pack.root / "wheels")
    (pack.root / "requirements.txt").write_text("./wheels/tinydep-1.0-py3-none-any.whl\n")
    pack.policy("uses_dep", USES_DEP, Tests=[
        {"Name": "dependency importable", "ExpectedResult": True, "Resource": {}}])
    return pack


class RecordingInstaller:
    """Stands in for pip where only the caching decisions are under test (pip itself runs in
    test_posture_test_installs_before_running); answers with a given exit code and output."""

    def __init__(self, code: int = 0, output: str = "") -> None:
        self.calls: list[tuple[Path, str]] = []
        self.code, self.output = code, output

    def __call__(self, requirements: Path, target: str) -> tuple[int, str]:
        self.calls.append((requirements, target))
        return self.code, self.output


def test_install_once_per_content_hash(dep_pack: Pack, tmp_path: Path) -> None:
    python = str(make_venv(tmp_path / "venv"))
    install = RecordingInstaller()
    [first] = ensure_requirements([str(dep_pack.root)], python=python, installer=install)
    assert first.installed and first.error is None
    assert install.calls == [(dep_pack.root / "requirements.txt", python)]
    stamp = tmp_path / "venv" / STAMP_DIR / first.sha256
    assert stamp.read_text() == f"{(dep_pack.root / 'requirements.txt').resolve()}\n"

    # Unchanged file: the stamp answers and the installer is not called.
    [again] = ensure_requirements([str(dep_pack.root)], python=python, installer=install)
    assert not again.installed and again.error is None and len(install.calls) == 1

    # An edited file hashes differently and installs again.
    with (dep_pack.root / "requirements.txt").open("a") as handle:
        handle.write("# pinned for the tests\n")
    [edited] = ensure_requirements([str(dep_pack.root)], python=python, installer=install)
    assert edited.installed and edited.sha256 != first.sha256 and len(install.calls) == 2


def test_failed_install_is_an_error_and_leaves_no_stamp(dep_pack: Pack, tmp_path: Path) -> None:
    python = str(make_venv(tmp_path / "venv"))
    install = RecordingInstaller(1, "Collecting x\nERROR: No matching distribution found for x\n")
    [outcome] = ensure_requirements([str(dep_pack.root)], python=python, installer=install)
    assert outcome.error == (f"{dep_pack.root / 'requirements.txt'}: pip install failed (exit 1): "
                             "ERROR: No matching distribution found for x")
    assert not outcome.installed and not (tmp_path / "venv" / STAMP_DIR).exists()
    # Nothing was remembered, so the next run tries again.
    ensure_requirements([str(dep_pack.root)], python=python, installer=install)
    assert len(install.calls) == 2


def test_an_interpreter_outside_a_venv_is_refused(dep_pack: Pack) -> None:
    base = getattr(sys, "_base_executable", None) or sys.executable
    [outcome] = ensure_requirements([str(dep_pack.root)], python=base)
    assert outcome.error == (f"{dep_pack.root / 'requirements.txt'}: not installed: {base} is not "
                             "inside a virtual environment (run npm ci for .venv)")


def test_only_pack_roots_are_looked_at(dep_pack: Pack, tmp_path: Path) -> None:
    assert pack_requirements([str(dep_pack.root), str(dep_pack.root)]) == [
        dep_pack.root / "requirements.txt"]
    assert pack_requirements([str(dep_pack.dir), str(dep_pack.root / "requirements.txt")]) == []
    assert ensure_requirements([str(tmp_path / "nothing-here")]) == []


def test_posture_test_installs_before_running(dep_pack: Pack, tmp_path: Path) -> None:
    # The CLI installs into the venv that runs it; system site-packages supply pip.
    python = make_venv(tmp_path / "venv", system_site_packages=True)
    env = {**os.environ, "PYTHONPATH": str(RUNTIME_DIR)}
    command = [str(python), "-m", "posture_engine.spec_tests", str(dep_pack.root)]
    skipped = subprocess.run([*command, "--no-install"], capture_output=True, text=True,
                             timeout=120, env=env)
    assert skipped.returncode == 1 and "No module named 'tinydep'" in skipped.stdout
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.splitlines()[-1] == "1 passed, 0 failed"
    assert f"installed {dep_pack.root / 'requirements.txt'} (sha256 " in first.stderr
    assert imports_tinydep(python)
    assert len(list((tmp_path / "venv" / STAMP_DIR).iterdir())) == 1
    second = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert second.returncode == 0 and "installed" not in second.stderr
