"""What each language's search index holds: the pages' headings and prose, not their code blocks,
outputs or verdict details (scripts/hooks/search.py says why)."""

import json
import re
from html import unescape

import pytest

from scripts import claims, i18n
from scripts.docs_checks import LANGUAGES

CLAIM_WORDS = i18n.WordsByLanguage("claims")
LANGUAGE_PREFIX = {language: "" if n == 0 else f"{language}/" for n, language in enumerate(LANGUAGES)}
ARTICLES = ["build-and-call", "custom-vs-lambda", "dense-relu-from-scratch"]


def _index(site, language) -> dict:
    script = (site / "search" / f"search_index.{language}.js").read_text(encoding="utf-8")
    return json.loads(script[script.index("{"):script.rindex("}") + 1])


def _indexed_text(index) -> str:
    return unescape(" ".join(doc["title"] + " " + doc["text"] for doc in index["docs"]))


def _plain(html: str) -> str:
    """Text without tags, backticks or spacing differences (no-break spaces, line breaks)."""
    text = unescape(re.sub(r"<[^>]+>", "", html)).replace("`", "")
    return " ".join(text.split())


def _code_lines(html: str) -> list[str]:
    """The lines of the page's code blocks, as the reader sees them."""
    lines = []
    for block in re.findall(r'<div class="highlight".*?<pre.*?>(.*?)</pre>', html, re.S):
        text = unescape(re.sub(r"<[^>]+>", "", block))
        lines += [line.strip() for line in text.splitlines() if len(line.strip()) > 25]
    return lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_code_blocks_are_on_the_pages_but_not_in_the_index(built_site, language):
    indexed = _indexed_text(_index(built_site, language))
    for page in ARTICLES:
        html = (built_site / LANGUAGE_PREFIX[language] / page / "index.html").read_text(encoding="utf-8")
        lines = _code_lines(html)
        assert len(lines) > 10, f"{page}: expected code blocks on the page, found {len(lines)} long lines"
        # A line the prose quotes too (an error message, say) is indexed as prose.
        prose = unescape(re.sub(r"<[^>]+>", "", re.sub(r'<div class="highlight".*?</pre>', "", html, flags=re.S)))
        indexed_lines = [line for line in lines if line in indexed and line not in prose]
        assert not indexed_lines, f"{language} {page}: code lines in the search index: {indexed_lines[:3]}"
    assert "<pre" not in indexed


@pytest.mark.parametrize("language", LANGUAGES)
def test_notebook_prose_is_indexed_its_prompts_and_outputs_are_not(built_site, language):
    html = (built_site / LANGUAGE_PREFIX[language] / "dense-relu-notebook" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"In(&nbsp;|\s)\[\d+\]", html), "the notebook page shows no cell prompt any more: update this test"
    assert "Epoch" in html, "the notebook page shows no training log any more: update this test"
    notebook = [doc for doc in _index(built_site, language)["docs"] if "dense-relu-notebook" in doc["location"]]
    text = unescape(" ".join(doc["text"] for doc in notebook))
    assert notebook and len(text.split()) > 100, f"the notebook's prose is not indexed: {text[:200]!r}"
    assert "In [" not in text and "Epoch" not in text, text[:500]


@pytest.mark.parametrize("language", LANGUAGES)
def test_verdict_details_are_on_the_pages_but_not_in_the_index(built_site, language):
    words = CLAIM_WORDS[language]
    html = (built_site / LANGUAGE_PREFIX[language] / "build-and-call" / "index.html").read_text(encoding="utf-8")
    assert unescape(words["observed"]) in unescape(html) and words["proof"] in html
    assert "data-search-exclude" not in html, "Material left the search mark in the page"
    index = _index(built_site, language)
    page = _indexed_text({"docs": [doc for doc in index["docs"] if "build-and-call/" in doc["location"]]})
    # The claim itself stays searchable: the box's "Claim: …" line is indexed with its section.
    assert words["claim"] in page
    assert words["observed"] not in _indexed_text(index)
    # What each aspect showed: shown in the box, not indexed. (Site notes may cite a test too.)
    aspects = [labels[language] for claim in claims.load() if claim["page"] == "build-and-call.md"
               for labels in claim.get("aspects", {}).values()]
    shown = [label for label in aspects if _plain(label) in _plain(html)]
    assert len(shown) > 5, f"expected the verdicts' aspects on the page, found {shown}"
    indexed = [label for label in shown if _plain(label) in _plain(page)]
    assert not indexed, f"{language}: verdict details in the search index: {indexed[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_section_of_every_article_is_in_the_index(built_site, language):
    locations = {doc["location"] for doc in _index(built_site, language)["docs"]}
    for page in ARTICLES:
        html = (built_site / LANGUAGE_PREFIX[language] / page / "index.html").read_text(encoding="utf-8")
        anchors = re.findall(r'<h[23] id="([^"]+)"', html)
        assert anchors, page
        missing = [anchor for anchor in anchors if f"{LANGUAGE_PREFIX[language]}{page}/#{anchor}" not in locations]
        assert not missing, f"{language} {page}: sections missing from the search index: {missing}"
