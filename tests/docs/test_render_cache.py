"""The render cache (scripts/hooks/render_cache.py) changes how fast the site builds, never what it builds."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.test_build import ENV, copy_of_repository

PAGE = "docs/en/build-and-call.md"
CACHED_PAGE = "en--build-and-call.md-"


def build(repo: Path, site: Path, strict: bool = True, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "--site-dir", str(site)],
        cwd=repo, env={**ENV, **env}, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def differing_files(left: Path, right: Path) -> list[str]:
    """Files present in only one site, or with other bytes."""
    left_files = {path.relative_to(left).as_posix() for path in left.rglob("*") if path.is_file()}
    right_files = {path.relative_to(right).as_posix() for path in right.rglob("*") if path.is_file()}
    differing = sorted(left_files ^ right_files)
    differing += sorted(name for name in left_files & right_files
                        if not filecmp.cmp(left / name, right / name, shallow=False))
    return differing


@pytest.fixture(scope="module")
def cached_repo(tmp_path_factory) -> Path:
    """A copy of the repository whose cache holds exactly one build's entries."""
    repo = copy_of_repository(tmp_path_factory.mktemp("render-cache"))
    cache = repo / ".cache" / "render"
    for entry in cache.glob("*"):
        entry.unlink()
    return repo


def entries(repo: Path) -> list[Path]:
    return sorted((repo / ".cache" / "render").glob("*.json"))


def test_a_build_from_the_cache_is_the_build_without_it(cached_repo, tmp_path):
    without = tmp_path / "without-cache"
    build(cached_repo, without, RENDER_CACHE="0")
    assert entries(cached_repo) == [], "RENDER_CACHE=0 must neither read nor write the cache"

    filling, reusing = tmp_path / "filling", tmp_path / "reusing"
    build(cached_repo, filling)
    pages = sorted(path.relative_to(cached_repo / "docs").as_posix() for path in (cached_repo / "docs").glob("*/*.md"))
    written = entries(cached_repo)
    assert len(written) == len(pages), (pages, written)
    modified = {path: path.stat().st_mtime_ns for path in written}
    build(cached_repo, reusing)

    assert {path: path.stat().st_mtime_ns for path in entries(cached_repo)} == modified, \
        "a build with nothing changed rewrote cache entries"
    # Built pages, search indexes (each language's and Material's stub), sitemap, archive: same bytes.
    assert differing_files(without, filling) == []
    assert differing_files(without, reusing) == []


def test_the_build_takes_a_page_from_the_cache_until_the_page_or_its_includes_change(cached_repo, tmp_path):
    """Poison one cached page: the next build shows the poison (it used the cache); edits then evict it."""
    build(cached_repo, tmp_path / "fill")
    entry_path = next(path for path in entries(cached_repo) if path.name.startswith(CACHED_PAGE))
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    marker = "render-cache-poison"
    entry["html"] = entry["html"].replace("</h1>", f"</h1><p>{marker}</p>", 1)
    entry["search"][0]["text"] = marker + " " + entry["search"][0]["text"]
    entry_path.write_text(json.dumps(entry), encoding="utf-8")

    def built(site: Path) -> tuple[str, str]:
        return ((site / "en" / "build-and-call" / "index.html").read_text(encoding="utf-8"),
                (site / "search" / "search_index.en.js").read_text(encoding="utf-8"))

    build(cached_repo, tmp_path / "poisoned")
    html, index = built(tmp_path / "poisoned")
    assert marker in html and marker in index, "the build did not use the cached page"
    french = (tmp_path / "poisoned" / "build-and-call" / "index.html").read_text(encoding="utf-8")
    assert marker not in french, "one page's cache entry reached another page"

    # An included snippet changes: the page is converted again, with the new code. (The outputs
    # hook warns that the block's recorded run is stale, so this build cannot be strict.)
    snippet = cached_repo / "snippets" / "state_and_computation.py"
    original = snippet.read_text(encoding="utf-8")
    snippet.write_text(original.replace("import tensorflow as tf", "import tensorflow as tf  # render-cache-edit", 1),
                       encoding="utf-8")
    try:
        build(cached_repo, tmp_path / "edited-snippet", strict=False)
    finally:
        snippet.write_text(original, encoding="utf-8")
    html, index = built(tmp_path / "edited-snippet")
    assert marker not in html and marker not in index, "the page was not converted again"
    assert "render-cache-edit" in html

    # Back to the original snippet, the page itself changes.
    page = cached_repo / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nrender-cache-page-edit\n", encoding="utf-8")
    try:
        build(cached_repo, tmp_path / "edited-page")
    finally:
        page.write_text(text, encoding="utf-8")
    html, _ = built(tmp_path / "edited-page")
    assert "render-cache-page-edit" in html
