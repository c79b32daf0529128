"""Hooks that refuse to build: contributor mistakes, and claims whose tests failed."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

from mkdocs.exceptions import PluginError

from scripts import claims, docs_checks
from scripts.hooks import CACHE, ROOT

CHECKS_CACHE = CACHE / "checks"
# Besides docs/: what the checks read (snippets, notebook sources, words, glossary, claims' tests)
# and their own code.
CHECKED_FOLDERS = ("notebooks", "snippets", "i18n", "tests", "scripts", "outputs")


def on_config(config, **kwargs):
    """With test results (publishing build), refuse to publish a claim whose test failed."""
    failed = claims.failures(claims.load(), claims.load_results(os.environ.get("CLAIMS_RESULTS")))
    if failed:
        raise PluginError("claims whose tests did not pass:\n  - " + "\n  - ".join(failed))
    return config


_checked_sources = False  # MkDocs loads this module afresh for each build


def on_pre_build(config, **kwargs):
    """Fail the build, naming file and line, on any contributor mistake.

    The checks cover every language: static-i18n's later language builds
    need not repeat them.
    """
    global _checked_sources
    if _checked_sources:
        return
    _checked_sources = True
    docs_dir = Path(config.docs_dir)
    # The checks read the pages, the snippets, the registries and the tests: when none of those
    # files changed since the checks last passed, they pass again (a warm build skips them).
    passed = CHECKS_CACHE / _inputs_digest(docs_dir)
    if passed.is_file():
        return
    problems = docs_checks.all_problems(docs_dir)
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise PluginError(f"{len(problems)} problem(s) in the docs sources:\n{listing}")
    CHECKS_CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CHECKS_CACHE.glob("*"):
        stale.unlink(missing_ok=True)
    passed.touch()


def _inputs_digest(docs_dir: Path) -> str:
    """Every file the checks may read, by path, modification time and size."""
    folders = [docs_dir, *(ROOT / name for name in CHECKED_FOLDERS)]
    files = sorted({path for folder in folders for path in folder.rglob("*")
                    if path.is_file() and "__pycache__" not in path.parts}
                   | {path for path in ROOT.glob("*.yml") if path.is_file()})
    hasher = hashlib.sha256()
    for path in files:
        stat = path.stat()
        # Relative: a copy of the repository (copytree keeps the times) reuses the verdict.
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        hasher.update(f"{name}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return hasher.hexdigest()[:32]
