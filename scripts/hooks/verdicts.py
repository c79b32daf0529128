"""Claim verdicts on pages, and the "Tested with" stamp at the end of every page."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

from scripts import claims, docs_checks, i18n
from scripts.hooks import page_language


def _claims_results():
    return claims.load_results(os.environ.get("CLAIMS_RESULTS"))


def on_page_markdown(markdown, page, config, **kwargs):
    """`[[claim:id]]` lines become verdicts; `[[claims-table]]` the full table."""
    if "[[claim" not in markdown:
        return markdown
    language = page_language(page, config)
    registry = {claim["id"]: _in_language(claim, language) for claim in claims.load()}
    results = _claims_results()
    lines = []
    for line in markdown.split("\n"):
        match = claims.MARKER_RE.match(line.strip())
        if match:
            lines.append(claims.render_verdict(registry[match["id"]], language, results, config.repo_url))
        elif line.strip() == claims.TABLE_MARKER:
            titles = _page_titles(Path(config.docs_dir) / language)
            lines.append(claims.render_table(list(registry.values()), language, results, config.repo_url, titles))
        else:
            lines.append(line)
    return "\n".join(lines)


def _in_language(claim: dict, language: str) -> dict:
    """A claim whose per-language texts (`claim`, `why`…) have the language, in English if need be.

    A language added to mkdocs.yml builds before claims.yml is translated.
    """
    if not isinstance(claim, dict):
        return claim
    if i18n.FALLBACK in claim and language not in claim:
        return {**claim, language: claim[i18n.FALLBACK]}
    return {key: _in_language(value, language) for key, value in claim.items()}


def _page_titles(folder: Path) -> dict[str, str]:
    titles = {}
    for path in folder.glob("*.md"):
        titles[path.name] = docs_checks.page_title(path)
    return titles


def on_page_content(html, page, config, **kwargs):
    """Every page ends with the "Tested with" stamp of the run that built it."""
    return html + f"\n<p>{claims.stamp(page_language(page, config), _claims_results())}</p>\n"
