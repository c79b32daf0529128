"""Languages as data: a third language is a folder of pages and one mkdocs.yml entry.

The test adds one (German, with the English pages copied as its text) to a
scratch copy of the repository and builds it for real: no code changes.
"""

import shutil

from tests.docs.test_build import copy_of_repository, mkdocs_build

NEW_LANGUAGE = """        - locale: de
          name: Deutsch
          build: true
"""


def add_a_language(repo):
    for folder in ("docs", "notebooks"):
        shutil.copytree(repo / folder / "en", repo / folder / "de")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    anchor = "\n\n  # The offline build"
    assert anchor in text and "- locale: en" in text
    config.write_text(text.replace(anchor, "\n" + NEW_LANGUAGE.rstrip("\n") + anchor, 1), encoding="utf-8")


def test_a_third_language_builds_strict_with_english_words(tmp_path):
    repo = copy_of_repository(tmp_path)
    add_a_language(repo)
    site = tmp_path / "site"
    result = mkdocs_build(repo, site)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log
    for page in ("index.html", "build-and-call/index.html", "dense-relu-notebook/index.html",
                 "glossary/index.html", "what-we-checked/index.html"):
        assert (site / "de" / page).is_file(), page
    home = (site / "de" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in home
    # The language switch offers all three, and the site's words fall back to English.
    for link in ('hreflang="fr"', 'hreflang="en"', 'hreflang="de"'):
        assert link in home, link
    assert "Development build: the tests were not run for this page." in home
    lesson = (site / "de" / "build-and-call" / "index.html").read_text(encoding="utf-8")
    assert "holds" in lesson and "Verdict" in lesson
    assert "Back to the home page (Deutsch)" in (site / "404.html").read_text(encoding="utf-8")
    # Its own search worker, and a sitemap entry for each page.
    assert (site / "assets" / "javascripts" / "workers" / "search-de.js").is_file()
    assert "/de/glossary/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_checks_cover_the_third_language(tmp_path):
    repo = copy_of_repository(tmp_path)
    add_a_language(repo)
    (repo / "docs" / "de" / "what-we-checked.md").unlink()
    page = repo / "docs" / "de" / "build-and-call.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## A heading only here\n", encoding="utf-8")
    result = mkdocs_build(repo, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert "docs/fr/what-we-checked.md: page exists in 'fr' but not in 'de'" in log, log
    assert "docs/de/build-and-call.md" in log and "headings differ from docs/fr/build-and-call.md" in log, log
