"""Every test checks something: a test function with no `assert`, no `pytest.raises` and no
call to a helper that asserts cannot fail, and is a defect (see docs/reliability.md)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CHECKS = {"raises", "fail", "warns", "importorskip"}  # pytest.raises(...) etc. count as checks


def _checks_directly(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in CHECKS - {"importorskip"}:
            return True
    return False


def _called_names(fn: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            f = node.func
            names.add(f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else "")
    return names


def _functions() -> dict[str, list[ast.AST]]:
    """Every function defined in tests/ (module level or nested), by name."""
    out: dict[str, list[ast.AST]] = {}
    for path in TESTS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.setdefault(node.name, []).append(node)
    return out


def unchecked_tests() -> list[str]:
    """`file::test` for each test function that asserts nothing, directly or through helpers
    defined in tests/ (a helper counts when every definition of that name asserts)."""
    functions = _functions()
    asserting = {name for name, defs in functions.items() if all(_checks_directly(d) for d in defs)}
    changed = True
    while changed:  # helpers calling asserting helpers assert too
        changed = False
        for name, defs in functions.items():
            if name not in asserting and all(
                    _checks_directly(d) or _called_names(d) & asserting for d in defs):
                asserting.add(name)
                changed = True
    missing = []
    for path in sorted(TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                if not (_checks_directly(node) or _called_names(node) & asserting):
                    missing.append(f"{path.name}::{node.name}")
    return missing


def test_every_test_asserts_something():
    assert unchecked_tests() == []


def test_the_checker_finds_a_test_without_an_assertion(tmp_path, monkeypatch):
    # the checker itself can fail: a file with a test that only calls code is reported
    (tmp_path / "test_fake.py").write_text(
        "def helper():\n    assert True\n\ndef quiet(x):\n    return x\n\n"
        "def test_ok():\n    helper()\n\ndef test_quiet():\n    quiet(1)\n")
    monkeypatch.setattr(__import__(__name__), "TESTS", tmp_path)
    assert unchecked_tests() == ["test_fake.py::test_quiet"]
