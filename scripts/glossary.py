"""The glossary (glossary.yml): its page, its tooltips, and the check on rejected words.

- ``[[glossary]]`` on a page expands to the table of the page's language.
- ``abbreviations`` gives the lines (``*[term]: definition``) that Python-
  Markdown's `abbr` extension turns into hover definitions, with Material's
  `content.tooltips`; scripts/hooks/glossary.py appends them to every page.
- ``check`` refuses a rejected variant or a refused spelling in the pages and
  notebook sources of its language, outside code, naming the file, the line
  and the accepted word. It runs with the other docs checks, so the strict
  build fails on it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import yaml

from scripts import i18n
from scripts.docs_checks import LANGUAGES, ROOT, Problem, lines_outside_fences

REGISTRY = ROOT / "glossary.yml"
MARKER = "[[glossary]]"
# Not prose: inline code, [[markers]], link targets and HTML attributes.
NOT_PROSE_RE = re.compile(r"`[^`]*`|\[\[[^\]]*\]\]|\]\([^)]*\)|\w+=\"[^\"]*\"")
# Emphasis markers: "**Keras 2** historique" is still "Keras 2 historique".
EMPHASIS_RE = re.compile(r"\*+")


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, mtime_ns: int) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def load(path: Path = REGISTRY) -> dict:
    return _parsed(path, path.stat().st_mtime_ns) if path.is_file() else {}


def entry(concept: dict, language: str) -> dict:
    """A concept in a language, English when it has no entry for it."""
    return concept.get(language) or concept.get(i18n.FALLBACK) or {}


def _plain(text: str) -> str:
    """A definition as tooltip text: no backticks, no line breaks, no brackets."""
    return re.sub(r"\s+", " ", text.replace("`", "")).replace("[", "(").replace("]", ")").strip()


def abbreviations(language: str, path: Path = REGISTRY) -> str:
    """The `abbr` definitions of a language: one line per hovered word."""
    return _abbreviations(language, path, path.stat().st_mtime_ns if path.is_file() else 0)


@functools.lru_cache(maxsize=16)
def _abbreviations(language: str, path: Path, mtime_ns: int) -> str:
    # A tooltip is an attribute, which the build's typography leaves alone: set it here.
    locale = i18n.words(language, fallback=False).get("typography")
    if locale:
        from polytypo.text import transform
    lines = []
    for concept in load(path).get("concepts", []):
        found = entry(concept, language)
        definition = _plain(found["definition"])
        if locale:
            definition = transform(definition, locale=locale, rules={"dashes": False})
        for word in found.get("hover", [found.get("term")]):
            if word:
                lines.append(f"*[{word}]: {definition}")
    return "\n".join(lines)


def _sort_key(term: str) -> str:
    """Dictionary order: accents and case aside (« époque » between « enregistrer » and « exactitude »)."""
    return "".join(c for c in unicodedata.normalize("NFD", term.casefold()) if not unicodedata.combining(c))


def render_table(language: str, glossary: dict | None = None) -> str:
    """The Glossary page's table: term, definition, rejected variants."""
    glossary = load() if glossary is None else glossary
    words = i18n.words(language).get("glossary", {})
    rows = [f"| {words['term']} | {words['definition']} | {words['avoid']} |", "| --- | --- | --- |"]
    concepts = sorted(glossary.get("concepts", []), key=lambda c: _sort_key(entry(c, language)["term"]))
    for concept in concepts:
        found = entry(concept, language)
        avoid = ", ".join(found.get("rejected", []))
        cells = [f'<span id="{concept["id"]}"></span>**{found["term"]}**', found["definition"], avoid]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def _refused(glossary: dict, language: str) -> list[tuple[re.Pattern, str]]:
    """(pattern, advice) for each word the language refuses."""
    refused = []
    for concept in glossary.get("concepts", []):
        found = concept.get(language, {})
        for word in found.get("rejected", []):
            meaning = entry(concept, i18n.FALLBACK).get("term", concept.get("id"))
            advice = (f"'{word}' is not the site's word for {meaning}: write '{found['term']}' "
                      "(glossary.yml).")
            refused.append((word, advice))
    for word, accepted in glossary.get("spelling", {}).get(language, {}).items():
        refused.append((word, f"'{word}' is not the site's spelling: write '{accepted}' (glossary.yml, spelling)."))
    return [(re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE), advice) for word, advice in refused]


def check(source_dirs: list[Path], root: Path = ROOT) -> list[Problem]:
    """No rejected variant or refused spelling outside code, in any configured language."""
    glossary = load(root / "glossary.yml")
    problems = []
    for concept in glossary.get("concepts", []):
        for key in ("term", "definition"):
            if key not in concept.get(i18n.FALLBACK, {}):
                problems.append(Problem(root / "glossary.yml", None, f"concept '{concept.get('id', '?')}' "
                                        f"has no {i18n.FALLBACK} '{key}'; every concept needs one (the fallback)."))
    for language in LANGUAGES:
        refused = _refused(glossary, language)
        if not refused:
            continue
        # A rejected word inside another concept's own term is that term, not the
        # variant ("précision mixte" is mixed precision, not accuracy).
        accepted = [re.compile(rf"(?<!\w){re.escape(entry(c, language)['term'])}(?!\w)", re.IGNORECASE)
                    for c in glossary.get("concepts", []) if " " in entry(c, language).get("term", "")]
        for folder in source_dirs:
            for page in sorted((folder / language).rglob("*.md")):
                for number, line in lines_outside_fences(page.read_text(encoding="utf-8")):
                    prose = EMPHASIS_RE.sub("", NOT_PROSE_RE.sub(" ", line))
                    for term in accepted:
                        prose = term.sub(" ", prose)
                    for pattern, advice in refused:
                        if pattern.search(prose):
                            problems.append(Problem(page, number, advice))
    return problems
