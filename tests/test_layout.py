"""The installed shape: one `morgue` package, layers that import only what is below them."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(folder: str) -> dict[str, set[str]]:
    """Every module a folder's files import, by file."""
    out: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).glob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        out[path.name] = names
    return out


def test_only_the_morgue_package_is_installed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert all(p == "morgue" or p.startswith("morgue.") for p in config["packages"])
    assert set(config["package-dir"]) == set(config["packages"])


def test_importing_every_module_loads_nothing_under_a_second_name():
    script = (
        "import importlib, pkgutil, sys, morgue\n"
        "for m in pkgutil.walk_packages(morgue.__path__, 'morgue.'):\n"
        "    m.name.endswith('__main__') or importlib.import_module(m.name)\n"
        "for sub in ('search', 'indexer', 'web'):\n"
        "    pkg = importlib.import_module('morgue.' + sub)\n"
        "    for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('search', 'indexer', 'web')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_public_api_is_the_morgue_package():
    import morgue

    for name in morgue.__all__:
        assert getattr(morgue, name) is not None
    assert morgue.Archive is importlib.import_module("morgue.search.archive").Archive


def test_search_imports_neither_the_cli_nor_the_web_app():
    for name, imported in _imports("search").items():
        bad = {m for m in imported if m.startswith(("morgue.cli", "morgue.web"))}
        assert not bad, f"search/{name} imports {bad}"


def test_web_imports_only_the_search_layer():
    for name, imported in _imports("web").items():
        bad = {m for m in imported if m.startswith(("morgue.indexer", "morgue.cli", "whoosh"))}
        assert not bad, f"web/{name} imports {bad}"


def test_indexer_imports_neither_search_nor_web():
    for name, imported in _imports("indexer").items():
        bad = {m for m in imported if m.startswith(("morgue.search", "morgue.web", "morgue.cli"))}
        assert not bad, f"indexer/{name} imports {bad}"


def test_no_development_tool_ships_in_the_package():
    import morgue.web

    shipped = {m.name for m in pkgutil.iter_modules(morgue.web.__path__)}
    assert "screenshot" not in shipped


def test_web_reaches_only_the_search_layer_and_the_errors():
    allowed = ("morgue.search", "morgue.errors", "morgue.web")
    for name, imported in _imports("web").items():
        ours = {m for m in imported if m == "morgue" or m.startswith("morgue.")}
        bad = {m for m in ours if m != "morgue" and not m.startswith(allowed)}
        assert not bad, f"web/{name} imports {bad}"


def test_the_search_contract_loads_without_whoosh():
    script = ("import sys, morgue.cli, morgue.search.request, morgue.search.export\n"
              "print(sorted(n for n in sys.modules if n.split('.')[0] in ('whoosh', 'numpy')))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
