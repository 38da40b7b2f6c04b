"""The compiled wheel (``scripts/compiled.py --wheel``): the pure wheel's
package with the request path compiled by mypyc, for this platform.

It must hold every source file the pure wheel holds (the compiled modules
keep their ``.py`` beside their extension, and everything else is the
pure code), every listed module as an extension, and it must pass the
scenario matrix when imported from the wheel itself.

Needs a C compiler and the Python headers (``scripts/lib/setup.sh``
installs them); pip fetches mypy for the build, which takes about a minute.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scratch = tmp_path_factory.mktemp("compiled")
    command = [sys.executable, str(ROOT / "scripts" / "compiled.py"), "--out", str(scratch / "tree")]
    command += ["--wheel", "--dist", str(scratch / "dist")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = (scratch / "dist").glob("*.whl")
    return built


@functools.cache
def script() -> ModuleType:
    """scripts/compiled.py, imported: its module list and manifest writer."""
    spec = importlib.util.spec_from_file_location("compiled_script", ROOT / "scripts" / "compiled.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_wheel_is_the_pure_package_plus_extensions(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {
        str(path.relative_to(ROOT))
        for package in ("corsguard", "corsguard_django", "corsguard_flask")
        for path in (ROOT / package).rglob("*")
        if path.suffix in (".py", ".typed") and "__pycache__" not in path.parts
    }
    assert sources <= names, sorted(sources - names)[:10]
    for module in script().MODULES:
        assert module.removesuffix(".py") + SUFFIX in names, f"{module} is not compiled in the wheel"
    # The one runtime library mypyc builds for the group sits at the top level.
    assert [name for name in names if "/" not in name and name.endswith(SUFFIX)]


def test_the_wheel_passes_the_matrix(wheel: Path, tmp_path: Path) -> None:
    """Imported from the unpacked wheel (never this tree: pytest's own
    script, --import-mode=append), the matrix runs through every adapter;
    tests/conftest.py checks every listed module is an extension."""
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    script().write_manifest(unpacked)
    environment = {**os.environ, "CORSGUARD_COMPILED": str(unpacked), "PYTHONPATH": f"{unpacked}{os.pathsep}{ROOT}"}
    pytest_script = Path(sys.executable).with_name("pytest")
    command = [str(pytest_script), "-q", "-p", "no:cacheprovider", "--import-mode=append"]
    command += sorted(str(path) for path in (ROOT / "tests").glob("test_matrix_*.py"))
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
