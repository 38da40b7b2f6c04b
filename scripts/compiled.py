"""Build corsguard's compiled fast path: the request-path modules compiled
by mypyc into C extensions.

The pure-Python package is the reference: it is what ``pip install``
gives, what the mutation tests mutate and what every test runs. The
compiled build is the same source, compiled, and nothing else. It is built
outside the source folders (an extension module beside its ``.py`` would
shadow it for every later test and mutant).

- ``python scripts/compiled.py --wheel`` writes a platform wheel to
  ``dist/`` (or ``--dist``): the pure package's metadata and sources plus
  the compiled modules, for ``pip install`` on this platform and Python.
  It needs a C compiler and the Python headers; pip fetches mypy (mypyc
  ships with it) for the build, the same version as the dev extras' when
  those are installed.
- ``python scripts/compiled.py`` builds the tree ``build/compiled`` (or
  ``--out``) with the running interpreter's mypy: ``scripts/test`` runs
  every in-process suite against it, and ``python -m bench.instructions
  --variants bare,corsguard,compiled`` counts it beside the peers.

A compiled function checks its arguments' types on entry, before its body
runs. So the constructors that check a user's arguments and say what to
change, ``Policy`` and the ASGI ``CorsMiddleware``, live in modules that
are not compiled (``_engine/policy.py``, ``_adapters/asgi.py``); their
request paths are compiled (``_engine/evaluation.py``,
``_adapters/asgi_layer.py``). The compiled modules' other public entry
points take loosely typed arguments (``@cors_policy(**overrides)``) or
plain ones (``log.configure(warnings=20)``, where a float, which no
documentation shows, would get a ``TypeError``).
"""

from __future__ import annotations

import argparse
import importlib.machinery
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("corsguard", "corsguard_django", "corsguard_flask")
# The request path, in the order a request meets it.
MODULES = (
    "corsguard/_adapters/asgi_layer.py",
    "corsguard/_adapters/asgi_messages.py",
    "corsguard/_adapters/asgi_routes.py",
    "corsguard/_engine/log.py",
    "corsguard/_engine/facts.py",
    "corsguard/_engine/decision.py",
    "corsguard/_engine/evaluation.py",
    "corsguard/_engine/grammar.py",
    "corsguard/_engine/matcher.py",
    "corsguard/_engine/allowlist.py",
    "corsguard/_engine/headers.py",
    "corsguard/_engine/preflight.py",
    "corsguard/_engine/response.py",
    "corsguard/_engine/refusals.py",
)
# mypyc type-checks with the running interpreter's version; the one module
# that reaches into ``re``'s private parser by version is not compiled and
# its checks are the source tree's (``mypy`` with python_version 3.10).
MYPY_OPTIONS = ("--strict", "--follow-imports=silent")

SETUP = """\
import sys
from mypyc.build import mypycify
from setuptools import setup

modules = sys.argv[sys.argv.index("--") + 1 :]
del sys.argv[sys.argv.index("--") :]
setup(name="corsguard-compiled", ext_modules=mypycify([*{options!r}, *modules], opt_level="3"))
"""


def copy_tree(out: Path) -> None:
    """The packages' sources, without caches or earlier builds."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, out / package, ignore=ignore)


def compile_modules(out: Path) -> None:
    setup = out / "setup_compiled.py"
    setup.write_text(SETUP.format(options=MYPY_OPTIONS), encoding="utf-8")
    command = [sys.executable, setup.name, "build_ext", "--inplace", "--", *MODULES]
    env = {**os.environ, "MYPY_CACHE_DIR": str(out / ".mypy_cache")}
    done = subprocess.run(command, cwd=out, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"mypyc failed ({done.returncode}); the output is above")
    setup.unlink()


def check_compiled(out: Path) -> list[str]:
    """Every listed module has its extension beside its source."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    return [module for module in MODULES if not (out / module).with_suffix(suffix).exists()]


def write_manifest(out: Path) -> None:
    """``out/COMPILED``: the compiled modules' names, which tests/conftest.py
    checks are imported as extensions when CORSGUARD_COMPILED names ``out``
    (this tree, or an unpacked wheel)."""
    names = [module.removesuffix(".py").replace("/", ".") for module in MODULES]
    (out / "COMPILED").write_text("\n".join(names) + "\n", encoding="utf-8")


WHEEL_SETUP = """\
from mypyc.build import mypycify
from setuptools import setup

setup(ext_modules=mypycify([*{options!r}, *{modules!r}], opt_level="3"))
"""


def _mypy() -> str:
    """The mypy the wheel is built with: the installed one, or the dev extras' floor."""
    try:
        return f"mypy=={version('mypy')}"
    except PackageNotFoundError:
        return "mypy>=1.10"


def build_wheel(tree: Path, dist: Path) -> Path:
    """``pip wheel`` of a fresh copy whose build compiles ``MODULES``, into ``dist``."""
    copy_tree(tree)
    for name in ("README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, tree / name)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    requires = f'requires = ["setuptools>=77", "{_mypy()}"]'
    (tree / "pyproject.toml").write_text(re.sub(r"^requires = .*$", requires, project, count=1, flags=re.M))
    (tree / "setup.py").write_text(WHEEL_SETUP.format(options=MYPY_OPTIONS, modules=MODULES), encoding="utf-8")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(tree)]
    subprocess.run(command, check=True)
    return dist


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "compiled", help="the tree to build")
    parser.add_argument("--wheel", action="store_true", help="build a platform wheel into --dist instead")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    out = args.out.resolve()
    if args.wheel:
        dist = build_wheel(out.with_name(out.name + "-wheel"), args.dist.resolve())
        print(f"wheel written to {dist}; install it with: pip install {dist}/corsguard-*.whl")
        return 0
    copy_tree(out)
    compile_modules(out)
    missing = check_compiled(out)
    if missing:
        raise SystemExit(f"not compiled: {', '.join(missing)}")
    write_manifest(out)
    print(f"compiled {len(MODULES)} modules into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
