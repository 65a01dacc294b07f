"""`pip install .` ships what the code needs: its data files and its declared dependencies."""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from config import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
PACKAGES: list[str] = SETUPTOOLS["packages"]
FIRST_PARTY = {name.split(".")[0] for name in PACKAGES} | set(SETUPTOOLS["py-modules"])


def _folder(package: str) -> Path:
    mapped = SETUPTOOLS.get("package-dir", {}).get(package)
    return ROOT / (mapped or package.replace(".", "/"))


def _shipped_files() -> list[tuple[str, Path]]:
    """(package, file) for every file in the folders of the packages, caches aside."""
    return [
        (package, path)
        for package in PACKAGES
        for path in sorted(_folder(package).iterdir())
        if path.is_file() and path.suffix != ".pyc"
    ]


def _modules() -> list[Path]:
    return [ROOT / f"{m}.py" for m in SETUPTOOLS["py-modules"]] + [
        path for package, path in _shipped_files() if path.suffix == ".py"
    ]


# Calls that load a module named by a string: find_spec("cpca"), import_module("x").
_BY_NAME = {"find_spec", "import_module"}


def _imported(path: Path) -> set[str]:
    """Top-level modules that `path` imports, or looks up by a literal name."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in _BY_NAME
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value.split(".")[0])
    return names


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_folder_with_files_under_a_package_is_a_package() -> None:
    roots = [_folder(p) for p in PACKAGES if "." not in p]
    folders = {
        path.parent
        for root in roots
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(str(f.relative_to(ROOT)) for f in folders - {_folder(p) for p in PACKAGES}) == []


def test_every_data_file_of_a_package_is_package_data() -> None:
    globs = SETUPTOOLS["package-data"]
    missed = [
        str(path.relative_to(ROOT))
        for package, path in _shipped_files()
        if path.suffix != ".py"
        and not any(fnmatch.fnmatch(path.name, g) for g in globs.get(package, []))
    ]
    assert missed == []


def test_the_shipped_code_imports_no_checkout_only_module() -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    local = {p.name for p in ROOT.iterdir() if p.is_dir() or p.suffix == ".py"}
    stray = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in _imported(path) - stdlib - FIRST_PARTY
            if name in local or f"{name}.py" in local
        )
        for path in _modules()
    }
    assert {path: names for path, names in stray.items() if names} == {}


def test_every_library_the_shipped_code_imports_is_a_declared_dependency() -> None:
    declared = {
        _canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group())
        for requirement in PYPROJECT["project"]["dependencies"]
    }
    distributions = packages_distributions()
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    undeclared = sorted(
        f"{name} ({path.relative_to(ROOT)})"
        for path in _modules()
        for name in _imported(path) - stdlib - FIRST_PARTY
        if not declared & {_canonical(d) for d in distributions.get(name, [name])}
    )
    assert undeclared == []
