"""Search on demand: one index and worker per language, loaded when the reader wants search.

- The build splits the site's search index by language (search/search_index.<language>.js)
  and leaves Material only a stub without pages (search/search_index.json and, offline, .js):
  that is all it fetches on every page, whatever the site's size.
- Each page's Material config points at its language's worker (search_worker.js). It loads
  Material's worker, lunr and the stemmers once the page is loaded and the browser idle, the
  index only once the reader is about to search (overrides/main.html says when), then stems
  prefix queries.
- What the index holds is what a reader searches for: headings, prose and inline code. Code
  blocks (the outputs' boxes too), the notebooks' prompts and outputs, and the details of
  verdicts carry Material's documented `data-search-exclude`. Code was a third of the index,
  hence of the time the reader waits for a first result, and with Material's separator its
  "words" were whole expressions that no query matched. A verdict's details, what each
  generation showed, are values, and its test's name is also on "What we checked".
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

import mkdocs.plugins
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from scripts.hooks import SEARCH_EXCLUDE, page_language

SEARCH_WORKER_SOURCE = Path(__file__).with_name("search_worker.js")
MATERIAL_WORKER_RE = re.compile(r"assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)")
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_LABEL_RE = re.compile(r'class="md-search__input" name="query" aria-label="([^"]*)"')
# Pygments' blocks (the outputs' boxes are code blocks too) and the notebooks' prompts and
# outputs. Only elements without a <div> inside: Material's parser tells elements apart by tag
# name, so the first </div> within a skipped <div> ends the skipping.
UNSEARCHED_CODE_RE = re.compile(
    r'<div class="(?:highlight|jp-InputPrompt|jp-OutputPrompt|[^"]*\bjp-OutputArea-output)\b[^"]*"')


def index_uri(language: str) -> str:
    return f"search/search_index.{language}.js"


def stemmer_scripts(language: str) -> list[str]:
    """The stemmers Material's worker imports for a one-language index, as it names them (relative
    to the worker). None for English (lunr's own), nor for the languages that also need a word
    segmenter first (Japanese, Hindi, Thai): Material's worker then imports them all itself."""
    if language in {"en", "ja", "hi", "th"}:
        return []
    return ["../lunr/min/lunr.stemmer.support.min.js", f"../lunr/min/lunr.{language}.min.js"]


def _prefixes(config) -> dict[str, str]:
    """Each language's URL prefix: "" for the default language, "en/" for English."""
    i18n = config.plugins.get("i18n")
    languages = i18n.all_languages if i18n else [config.theme["language"]]
    default = i18n.default_language if i18n else config.theme["language"]
    return {language: "" if language == default else f"{language}/" for language in languages}


@mkdocs.plugins.event_priority(-200)  # after static-i18n rebuilt the files
def on_files(files, config, **kwargs):
    """One search worker per language, next to Material's."""
    source = SEARCH_WORKER_SOURCE.read_text(encoding="utf-8")
    for language in _prefixes(config):
        settings = {  # URLs relative to the worker
            "material": _material_search_worker(files),
            "stemmers": stemmer_scripts(language),
            "index": f"../../../{index_uri(language)}",
        }
        content = f"const SEARCH_WORKER = {json.dumps(settings)}\n{source}"
        files.append(File.generated(config, f"assets/javascripts/workers/search-{language}.js", content=content))
    return files


def _material_search_worker(files) -> str:
    names = [match[1] for file in files if (match := MATERIAL_WORKER_RE.fullmatch(file.src_uri))]
    if len(names) != 1:
        raise PluginError(
            f"expected one Material search worker (assets/javascripts/workers/search.*.min.js), found {names}: "
            "Material changed its layout; update MATERIAL_WORKER_RE in scripts/hooks/search.py."
        )
    return names[0]


# After static-i18n (-100) wrote the whole site's index and the offline plugin
# (-100) inlined it into search_index.js. static-i18n's inner builds run this
# too, on a partial index: the outer build's run has the last word.
@mkdocs.plugins.event_priority(-200)
def on_post_build(config, **kwargs):
    folder = Path(config.site_dir) / "search"
    whole = folder / "search_index.json"
    if not whole.is_file():
        return
    index = json.loads(whole.read_text(encoding="utf-8"))
    prefixes = _prefixes(config)
    for language, prefix in prefixes.items():
        others = [other for other in prefixes.values() if other and other != prefix]
        docs = [doc for doc in index["docs"] if doc["location"].startswith(prefix)
                and not any(doc["location"].startswith(other) for other in others)]
        # Analysed with this language's stemmer and stop words only.
        part = {"config": {**index["config"], "lang": [language]}, "docs": docs}
        (folder / f"search_index.{language}.js").write_text(
            f"var SEARCH_INDEX = {json.dumps(part, ensure_ascii=False, separators=(',', ':'))}\n", encoding="utf-8")
    # What Material fetches on every page (hosted) or on opening search (offline).
    stub = json.dumps({"config": index["config"], "docs": []})
    whole.write_text(stub, encoding="utf-8")
    if (folder / "search_index.js").is_file():
        (folder / "search_index.js").write_text(f"var __index = {stub}", encoding="utf-8")


def on_page_content(html, page, **kwargs):
    """Code blocks stay out of the search index (the module's docstring says why)."""
    return UNSEARCHED_CODE_RE.sub(lambda match: f"{match[0]} {SEARCH_EXCLUDE}", html)


def on_post_page(output, page, config, **kwargs):
    return _searching_in(output, page_language(page, config))


def on_post_template(output_content, template_name, config, **kwargs):
    """404.html gets no on_post_page event."""
    if template_name == "404.html":
        return _searching_in(output_content, config.theme["language"])
    return output_content


def _searching_in(html: str, language: str) -> str:
    """Point Material's config (the `search` key of #__config) at the language's
    worker, and name the search dialog."""
    html, count = MATERIAL_WORKER_RE.subn(f"assets/javascripts/workers/search-{language}.js", html)
    if count != 1:
        raise PluginError(
            f"expected Material's search worker once in each page's #__config, found it {count} times: "
            "Material changed its base.html; update _searching_in in scripts/hooks/search.py."
        )
    return _name_search_dialog(html)


def _name_search_dialog(html: str) -> str:
    """Name Material's search dialog after its search field ("Rechercher", "Search").

    Its role="dialog" has no accessible name (axe-core: aria-dialog-name).
    """
    label = SEARCH_LABEL_RE.search(html)
    if label is None:
        return html
    return html.replace(SEARCH_DIALOG, f'{SEARCH_DIALOG[:-1]} aria-label="{label[1]}">', 1)
