"""The package as PyPI will see it: it builds, twine accepts its metadata,
every classifier is a real one, and the wheel carries what it should.

The wheel must hold each package's ``py.typed`` (so type checkers trust the
annotations) and must not hold the tests, the test projects, the benchmark
or anything else that only the repository needs.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib
from trove_classifiers import classifiers as known_classifiers

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("corsguard", "corsguard_django", "corsguard_flask")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def test_twine_accepts_the_metadata(dist: Path) -> None:
    files = sorted(str(path) for path in dist.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_wheel_holds_the_packages_and_nothing_else(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    assert top_level == set(PACKAGES), top_level
    for package in PACKAGES:
        assert f"{package}/py.typed" in names, f"{package} has no py.typed in the wheel"
    assert not [name for name in names if "/tests/" in name or name.startswith(("tests/", "testprojects/", "bench/"))]


def test_classifiers_exist_and_name_every_supported_python() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    unknown = [item for item in project["classifiers"] if item not in known_classifiers]
    assert not unknown, f"not trove classifiers: {unknown}"
    minimum = int(project["requires-python"].removeprefix(">=3."))
    for minor in range(minimum, 14):
        assert f"Programming Language :: Python :: 3.{minor}" in project["classifiers"]
    assert project["urls"]["Changelog"].endswith("CHANGELOG.md") and (ROOT / "CHANGELOG.md").is_file()


def test_wheel_registers_the_framework_loaders(dist: Path) -> None:
    """``corsguard lint`` finds Django, Flask and ASGI loaders through the
    installed metadata, so the wheel must carry the entry points
    pyproject.toml declares (``corsguard.cli.plugins``)."""
    (wheel,) = dist.glob("*.whl")
    archive = zipfile.ZipFile(wheel)
    (name,) = [name for name in archive.namelist() if name.endswith(".dist-info/entry_points.txt")]
    text = archive.read(name).decode()
    group = text[text.index("[corsguard.frameworks]") :].split("\n\n", 1)[0].splitlines()[1:]
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]["corsguard.frameworks"]
    assert dict(line.split(" = ", 1) for line in group if line) == declared
