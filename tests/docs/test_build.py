"""The real MkDocs build: strict, warning-free, and loud about contributor mistakes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from scripts.docs_checks import ROOT

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}


def mkdocs_build(cwd: Path, site_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600,
    )


def copy_of_repository(tmp_path: Path) -> Path:
    """A scratch copy to break on purpose; installed packages are shared."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", "__pycache__", ".*_cache"))
    (repo / "node_modules").symlink_to(ROOT / "node_modules")
    return repo


def test_strict_build_has_no_warning(tmp_path):
    result = mkdocs_build(ROOT, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log
    for page in ("index.html", "build-and-call/index.html", "en/custom-vs-lambda/index.html",
                 "dense-relu-notebook/index.html", "en/dense-relu-notebook/index.html"):
        assert (tmp_path / "site" / page).is_file(), page
    # Search engines find every page of both languages, notebooks included.
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    for language_prefix in ("", "en/"):
        for name in ("", "build-and-call/", "custom-vs-lambda/", "dense-relu-from-scratch/",
                     "dense-relu-notebook/", "what-we-checked/"):
            assert f"/{language_prefix}{name}</loc>" in sitemap, language_prefix + name


def test_build_fails_naming_the_page_of_a_missing_include(tmp_path):
    repo = copy_of_repository(tmp_path)
    page = repo / "docs" / "en" / "build-and-call.md"
    text = page.read_text(encoding="utf-8")
    line = next(number for number, row in enumerate(text.splitlines(), 1) if ":build\"" in row)
    page.write_text(text.replace(':build"', ':no-such-section"'), encoding="utf-8")
    result = mkdocs_build(repo, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"docs/en/build-and-call.md:{line}: section 'no-such-section' not found" in log, log


def test_checks_skipped_after_a_clean_build_run_again_when_a_snippet_changes(tmp_path):
    """The checks' verdict is cached (scripts/hooks/checks.py) only until a file they read changes."""
    repo = copy_of_repository(tmp_path)
    first = mkdocs_build(repo, tmp_path / "clean")
    assert first.returncode == 0, first.stdout + first.stderr
    assert list((repo / ".cache" / "checks").iterdir()), "a clean build left no verdict in .cache/checks"
    # A section marker the pages use, renamed in the snippet: only the checks name the section.
    snippet = repo / "snippets" / "state_and_computation.py"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace("[start:build]", "[start:built]", 1),
                       encoding="utf-8")
    result = mkdocs_build(repo, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "problem(s) in the docs sources" in log and "state_and_computation.py" in log, log


def test_build_fails_on_a_broken_link_or_anchor(tmp_path):
    repo = copy_of_repository(tmp_path)
    page = repo / "docs" / "en" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\nSee [a missing page](no-such-page.md) and [a missing anchor](build-and-call.md#no-such-anchor).\n",
        encoding="utf-8",
    )
    result = mkdocs_build(repo, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "'en/index.md' contains a link 'no-such-page.md'" in log, log
    assert "'en/index.md' contains a link 'build-and-call.md#no-such-anchor'" in log, log
