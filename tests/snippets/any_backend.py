"""Shared by the tests of the snippets/any_backend_*.py modules."""

import ast
from pathlib import Path

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"


def imported_modules(module_name):
    """Top-level names of every module a snippet module imports."""
    tree = ast.parse((SNIPPETS / f"{module_name}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names
