"""The render cache (scripts/hooks/render_cache.py) changes how fast the site builds, never what it builds."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.test_build import ENV, copy_of_repository

# A page in each language, by the start of its cache entries' names.
PAGES = {"en": "en--build-and-call.md-", "fr": "fr--build-and-call.md-"}
# A page whose front matter alone changes (it has one).
FRONT_MATTER_PAGE = ("docs/en/custom-vs-lambda.md", "en--custom-vs-lambda.md-")
SNIPPET = "snippets/state_and_computation.py"  # a file both pages include
POISON = "render-cache-poison"


def build(repo: Path, site: Path, strict: bool = True, **env: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "--site-dir", str(site)],
        cwd=repo, env={**ENV, **env}, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def entries(repo: Path) -> list[Path]:
    return sorted((repo / ".cache" / "render").glob("*.json"))


def differing_files(left: Path, right: Path) -> list[str]:
    """Files present in only one site, or with other bytes."""
    left_files = {path.relative_to(left).as_posix() for path in left.rglob("*") if path.is_file()}
    right_files = {path.relative_to(right).as_posix() for path in right.rglob("*") if path.is_file()}
    differing = sorted(left_files ^ right_files)
    differing += sorted(name for name in left_files & right_files
                        if not filecmp.cmp(left / name, right / name, shallow=False))
    return differing


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, dict[str, Path], dict[Path, int]]:
    """A copy of the repository built twice from an empty cache: the first build converts every
    page, the second none. (The copy, both sites, each cache entry's modification time in between.)"""
    folder = tmp_path_factory.mktemp("render-cache")
    repo = copy_of_repository(folder)
    for entry in (repo / ".cache" / "render").glob("*"):
        entry.unlink()
    sites = {name: folder / name for name in ("converting", "reusing")}
    build(repo, sites["converting"])
    written = {path: path.stat().st_mtime_ns for path in entries(repo)}
    build(repo, sites["reusing"])
    return repo, sites, written


def test_a_build_from_the_cache_is_the_build_without_it(two_builds):
    repo, sites, written = two_builds
    pages = sorted((repo / "docs").glob("*/*.md"))
    assert len(written) == len(pages), (pages, sorted(written))
    assert {path: path.stat().st_mtime_ns for path in entries(repo)} == written, \
        "a build with nothing changed rewrote cache entries"
    # Built pages, search indexes (each language's and Material's stub), sitemap, archive: same bytes.
    assert differing_files(sites["converting"], sites["reusing"]) == []


def poison(repo: Path, cached_page: str) -> None:
    """Mark a page's cache entry, in its HTML and its search entries."""
    path = next(path for path in entries(repo) if path.name.startswith(cached_page))
    entry = json.loads(path.read_text(encoding="utf-8"))
    entry["html"] = entry["html"].replace("</h1>", f"</h1><p>{POISON}</p>", 1)
    entry["search"][0]["text"] = f"{POISON} {entry['search'][0]['text']}"
    path.write_text(json.dumps(entry), encoding="utf-8")


def built_page(site: Path, language: str) -> tuple[str, str]:
    """The page's HTML and its language's search index."""
    folder = site / ("en" if language == "en" else "")
    return ((folder / "build-and-call" / "index.html").read_text(encoding="utf-8"),
            (site / "search" / f"search_index.{language}.js").read_text(encoding="utf-8"))


def test_a_build_takes_a_page_from_the_cache_until_the_page_or_an_include_changes(two_builds, tmp_path):
    """Poisoned entries show in the next build (it used them); an edit evicts only its page's."""
    repo = two_builds[0]
    for cached_page in PAGES.values():
        poison(repo, cached_page)

    poison(repo, FRONT_MATTER_PAGE[1])

    # The English page changes: it is converted again; the French one still comes from the cache.
    # Another page gets a front matter (Material's search entries read it).
    page, other = repo / "docs" / "en" / "build-and-call.md", repo / FRONT_MATTER_PAGE[0]
    text, other_text = page.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")
    page.write_text(f"{text}\nrender-cache-page-edit\n", encoding="utf-8")
    assert other_text.startswith("---\n"), f"{FRONT_MATTER_PAGE[0]} has no front matter any more: choose another page"
    other.write_text(other_text.replace("---\n", "---\nsearch:\n  boost: 3\n", 1), encoding="utf-8")
    try:
        build(repo, tmp_path / "edited-page")
    finally:
        page.write_text(text, encoding="utf-8")
        other.write_text(other_text, encoding="utf-8")
    index = (tmp_path / "edited-page" / "search" / "search_index.en.js").read_text(encoding="utf-8")
    docs = json.loads(index[index.index("{"):])["docs"]
    boosted = [doc for doc in docs if doc["location"].startswith("en/custom-vs-lambda/")]
    assert boosted and all(doc.get("boost") == 3 for doc in boosted), "the front matter changed, the entries did not"
    assert not any(POISON in doc["text"] for doc in boosted), "the front matter changed, the cached page stayed"
    html, index = built_page(tmp_path / "edited-page", "en")
    assert POISON not in html and POISON not in index, "the page changed and was not converted again"
    assert "render-cache-page-edit" in html
    html, index = built_page(tmp_path / "edited-page", "fr")
    assert POISON in html and POISON in index, "the build did not take the unchanged page from the cache"

    # A snippet the page includes changes: the French page is converted again, with the new code.
    # (The outputs hook warns that the block's recorded run is stale: this build cannot be strict.)
    snippet = repo / SNIPPET
    original = snippet.read_text(encoding="utf-8")
    snippet.write_text(original.replace("import tensorflow as tf", "import tensorflow as tf  # render-cache-edit", 1),
                       encoding="utf-8")
    try:
        build(repo, tmp_path / "edited-snippet", strict=False)
    finally:
        snippet.write_text(original, encoding="utf-8")
    html, index = built_page(tmp_path / "edited-snippet", "fr")
    assert POISON not in html and POISON not in index, "an include changed and the page was not converted again"
    assert "render-cache-edit" in html
