"""MkDocs hooks: the site's only build glue (see mkdocs.yml `hooks:`)."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import docs_checks  # noqa: E402


def on_pre_build(config, **kwargs):
    """Fail the build, naming file and line, on any contributor mistake."""
    problems = docs_checks.all_problems(Path(config.docs_dir))
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise PluginError(f"{len(problems)} problem(s) in the docs sources:\n{listing}")
