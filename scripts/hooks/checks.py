"""Hooks that refuse to build: contributor mistakes, and claims whose tests failed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

from mkdocs.exceptions import PluginError

from scripts import claims, docs_checks


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
    problems = docs_checks.all_problems(Path(config.docs_dir))
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise PluginError(f"{len(problems)} problem(s) in the docs sources:\n{listing}")
