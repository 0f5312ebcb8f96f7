"""A pack's requirements.txt is vendored for the engine function's platform (issue #12 item 4):
the Lambda's runtime and architecture that lib/constructs/policy-engine.ts declares, never the
build machine's. Real PyPI wheels (one pure, one binary) for the platform tags; local source
distributions with an in-tree build backend (no network) for the source-only cases."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest
from conftest import RUNTIME_DIR, Pack

from posture_engine.pack_deps import LambdaPlatform, vendor_for_lambda

ARM = LambdaPlatform("python3.13", "arm64")
PLATFORM_ARGS = ("--lambda-runtime", "python3.13", "--architecture", "arm64")


def wheel_tags(site: Path, distribution: str) -> list[str]:
    """The `Tag:` lines of a vendored distribution's .dist-info/WHEEL."""
    [info] = [p for p in site.glob("*.dist-info") if p.name.lower().startswith(distribution.lower() + "-")]
    return [line.split(":", 1)[1].strip() for line in (info / "WHEEL").read_text().splitlines()
            if line.startswith("Tag:")]


def build_layer(outdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "posture_engine.build_layer", str(outdir), *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(RUNTIME_DIR)})


# An in-tree PEP 517 backend (no build requirements, so no index is needed to build): it writes
# a wheel with the tag it is given — py3-none-any for a pure package, or this machine's tag for
# one that stands for native code.
BACKEND = '''
import base64, hashlib, zipfile
NAME, VERSION, TAG = {name!r}, "1.0", {tag!r}

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    info = f"{{NAME}}-{{VERSION}}.dist-info"
    files = {{
        f"{{NAME}}/__init__.py": "ANSWER = 42\\n",
        f"{{info}}/METADATA": f"Metadata-Version: 2.1\\nName: {{NAME}}\\nVersion: {{VERSION}}\\n",
        f"{{info}}/WHEEL": f"Wheel-Version: 1.0\\nGenerator: posture-tests\\nRoot-Is-Purelib: "
                         f"{{str(TAG.endswith('none-any')).lower()}}\\nTag: {{TAG}}\\n",
    }}
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{{path}},sha256={{digest.decode()}},{{len(text.encode())}}")
    files[f"{{info}}/RECORD"] = "\\n".join([*record, f"{{info}}/RECORD,,"]) + "\\n"
    filename = f"{{NAME}}-{{VERSION}}-{{TAG}}.whl"
    with zipfile.ZipFile(f"{{wheel_directory}}/{{filename}}", "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return filename
'''


def make_sdist(directory: Path, name: str, tag: str) -> Path:
    """`<name>-1.0.tar.gz`: a source-only release whose build gives a wheel tagged `tag`."""
    files = {
        "pyproject.toml": textwrap.dedent("""\
            [build-system]
            requires = []
            build-backend = "backend"
            backend-path = ["."]
            """),
        "backend.py": BACKEND.format(name=name, tag=tag),
        "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
        f"{name}/__init__.py": "ANSWER = 42\n",
    }
    directory.mkdir(parents=True, exist_ok=True)
    sdist = directory / f"{name}-1.0.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for path, text in files.items():
            data = text.encode()
            member = tarfile.TarInfo(f"{name}-1.0/{path}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return sdist


def host_tag() -> str:
    """A wheel tag only this machine runs (what a native extension's build would give)."""
    version = f"cp{sys.version_info.major}{sys.version_info.minor}"
    return f"{version}-{version}-linux_{os.uname().machine}"


def test_the_platform_is_the_lambdas() -> None:
    tags = ARM.platform_tags()
    # python3.13 runs on Amazon Linux 2023 (glibc 2.34); aarch64 wheels start at glibc 2.17.
    assert tags[0] == "manylinux_2_34_aarch64" and tags[-1] == "manylinux2014_aarch64"
    assert "manylinux_2_28_aarch64" in tags and "manylinux_2_17_aarch64" in tags
    assert all("aarch64" in tag for tag in tags)
    args = ARM.pip_args()
    assert args[:5] == ["--implementation", "cp", "--python-version", "3.13", "--only-binary=:all:"]
    assert args[5:] == [x for tag in tags for x in ("--platform", tag)]
    old = LambdaPlatform("python3.11", "x86_64").platform_tags()  # Amazon Linux 2: glibc 2.26
    assert old[0] == "manylinux_2_26_x86_64" and old[-1] == "manylinux1_x86_64"
    assert "manylinux2014_x86_64" in old and "manylinux2010_x86_64" in old
    assert str(ARM) == "python3.13 on arm64 (cp313 manylinux glibc<=2.34 aarch64, or pure Python)"
    # What runs there: pure Python, this CPython's ABI or the stable ABI, those manylinux tags.
    for tag, runs in [("py3-none-any", True), ("py2.py3-none-any", True),
                      ("cp313-cp313-manylinux_2_17_aarch64.manylinux2014_aarch64", True),
                      ("cp311-abi3-manylinux_2_28_aarch64", True), ("cp313-none-any", True),
                      ("cp313-cp313-manylinux_2_17_x86_64", False),
                      ("cp311-cp311-manylinux_2_28_aarch64", False),
                      ("cp313-cp313-manylinux_2_35_aarch64", False), ("py314-none-any", False),
                      ("cp313-cp313-linux_aarch64", False), ("py2-none-any", False)]:
        assert ARM.supports(tag) is runs, tag
    with pytest.raises(ValueError, match=r"^--architecture: 'arm' is not one of arm64, x86_64$"):
        LambdaPlatform("python3.13", "arm")
    with pytest.raises(ValueError, match=r"^--lambda-runtime: 'nodejs22.x' is not a Lambda Python"):
        LambdaPlatform("nodejs22.x", "arm64")


@pytest.mark.parametrize(("architecture", "machine"), [("arm64", "aarch64"), ("x86_64", "x86_64")])
def test_pypi_wheels_are_vendored_for_the_lambda_platform(tmp_path: Path, architecture: str,
                                                          machine: str) -> None:
    """six (pure) and MarkupSafe (a C extension) from PyPI: the binary one is the Lambda's build."""
    pack = Pack(tmp_path / "pack")
    (pack.root / "requirements.txt").write_text("six==1.17.0\nMarkupSafe==3.0.2\n")
    site = tmp_path / "site"
    assert vendor_for_lambda(pack.root / "requirements.txt", site,
                             LambdaPlatform("python3.13", architecture)) is None
    assert wheel_tags(site, "six") == ["py2-none-any", "py3-none-any"]
    markupsafe = wheel_tags(site, "MarkupSafe")
    assert markupsafe and all(t.startswith("cp313-cp313-manylinux") and t.endswith(f"_{machine}")
                              for t in markupsafe)
    [extension] = (site / "markupsafe").glob("_speedups*.so")
    assert extension.name == f"_speedups.cpython-313-{machine}-linux-gnu.so"
    assert not list(site.rglob("__pycache__"))  # no bytecode of the build machine's Python


def test_build_layer_vendors_for_its_arguments_and_imports_policies_on_this_machine(
        tmp_path: Path) -> None:
    pack = Pack(tmp_path / "pack")
    (pack.root / "requirements.txt").write_text("MarkupSafe==3.0.2\n")
    pack.policy("escapes", "from markupsafe import escape\n"
                "def policy(r):\n    return str(escape('<')) == '&lt;'\n")
    built = build_layer(tmp_path / "out", "--policies", str(pack.root), *PLATFORM_ARGS)
    assert built.returncode == 0, built.stderr
    assert built.stdout.rstrip().endswith(f"dependencies for {ARM}")
    site = tmp_path / "out" / "python"
    assert wheel_tags(site, "MarkupSafe") == ["cp313-cp313-manylinux_2_17_aarch64",
                                              "cp313-cp313-manylinux2014_aarch64"]
    assert [p.name for p in (site / "markupsafe").glob("*.so")] == [
        "_speedups.cpython-313-aarch64-linux-gnu.so"]
    # Nothing of this machine's import check leaked into the layer.
    assert sorted(p.name for p in site.iterdir()) == ["MarkupSafe-3.0.2.dist-info", "markupsafe",
                                                      "posture_engine"]
    missing = build_layer(tmp_path / "out2", "--policies", str(pack.root))
    assert missing.returncode == 2 and "--lambda-runtime" in missing.stderr


def test_a_source_only_pure_python_package_is_built_into_a_pure_wheel(tmp_path: Path) -> None:
    pack = Pack(tmp_path / "pack")
    make_sdist(pack.root / "sdists", "tinysdist", "py3-none-any")
    (pack.root / "requirements.txt").write_text(
        "--no-index\n--find-links ./sdists\ntinysdist==1.0\n")
    site = tmp_path / "site"
    assert vendor_for_lambda(pack.root / "requirements.txt", site, ARM) is None
    assert wheel_tags(site, "tinysdist") == ["py3-none-any"]
    assert (site / "tinysdist" / "__init__.py").read_text() == "ANSWER = 42\n"
    # Given by path, pip builds it itself: pure Python, so it is kept as well.
    (pack.root / "requirements.txt").write_text("./sdists/tinysdist-1.0.tar.gz\n")
    assert vendor_for_lambda(pack.root / "requirements.txt", tmp_path / "site2", ARM) is None
    assert wheel_tags(tmp_path / "site2", "tinysdist") == ["py3-none-any"]


def test_a_package_with_no_wheel_for_the_platform_fails_with_one_line(tmp_path: Path) -> None:
    pack = Pack(tmp_path / "pack")
    make_sdist(pack.root / "sdists", "tinynative", host_tag())
    requirements = pack.root / "requirements.txt"
    requirements.write_text("--no-index\n--find-links ./sdists\ntinynative==1.0\n")
    pack.policy("uses_native", "import tinynative\ndef policy(r):\n    return True\n")
    built = build_layer(tmp_path / "out", "--policies", str(pack.root), *PLATFORM_ARGS)
    assert built.returncode == 1
    assert built.stderr.splitlines() == [
        f"{requirements}: tinynative==1.0: no wheel for {ARM}, and it is not pure Python (a build "
        f"here gives tinynative-1.0-{host_tag()}.whl, for this machine only); pin a version that "
        f"publishes a wheel for {ARM}, or put such a wheel in the pack (e.g. ./wheels/ with "
        "--find-links ./wheels in requirements.txt)"]
    assert not (tmp_path / "out" / "posture" / "bundle.zip").exists()

    # Nothing to build from at all: the same one line, saying so.
    requirements.write_text("--no-index\n--find-links ./sdists\nnowhere-pkg==1.0\n")
    error = vendor_for_lambda(requirements, tmp_path / "site", ARM)
    assert error is not None and "\n" not in error
    assert error.startswith(f"{requirements}: nowhere-pkg==1.0: no wheel for {ARM}, and no source "
                            "distribution that builds here (")
    assert "No matching distribution found for nowhere-pkg==1.0" in error
    assert error.endswith("or put such a wheel in the pack (e.g. ./wheels/ with --find-links "
                          "./wheels in requirements.txt)")

    # A source distribution given by path is built by pip for this machine, --platform or not:
    # what it installed is checked against the platform.
    requirements.write_text("./sdists/tinynative-1.0.tar.gz\n")
    error = vendor_for_lambda(requirements, tmp_path / "site3", ARM)
    assert error == (f"{requirements}: tinynative-1.0 was installed as {host_tag()}, which does not "
                     f"run on {ARM} (a source distribution given by path or URL is built for this "
                     "machine); give a wheel for that platform instead, or a requirement pip can "
                     "find one for")
