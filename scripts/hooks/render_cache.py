"""Warm builds skip what did not change: each page's Markdown conversion and search entries, cached by content.

Converting a page (Pygments on every code block, the tabs, the inline
patterns) and Material's search plugin parsing the converted HTML are two
thirds of a warm build, and both grow with the pages. Their result depends
only on what this module puts in the key:

- the page's Markdown after every other hook and plugin changed it (this
  hook's `on_page_markdown` runs last), its front matter, path, URL and
  language;
- every file that `pymdownx.snippets` includes in it, nested includes too;
- the whole site's file list (links are resolved and checked against it),
  the Markdown extensions and their options, `use_directory_urls`, the
  link validation settings, and the versions of the packages that convert;
- the hooks' code: the search entries are Material's parse of the HTML
  that every hook's `on_page_content` has changed.

On a hit the page is converted from an empty string (instant) and
`on_page_content`, first of its event, puts back the cached HTML and what
`Page.render()` sets besides: the table of contents, the title from the
first heading, the anchors the page has and the links it makes to other
pages' anchors (MkDocs checks those after every page, as usual). The page
is excluded from Material's indexing for that one event (its documented
`search: exclude` front matter) and its cached entries take their place in
the index, in the same order. A page whose conversion logged a warning (a
broken link, say) is never cached, so the warning comes back in every build.

Every other hook still runs on every build: the cache only replaces work
whose inputs it hashes. tests/docs/test_render_cache.py proves that a
build from the cache is byte for byte a build without it. `rm -r .cache/render`
empties it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

import mkdocs.plugins
from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc
from pymdownx.snippets import SnippetPreprocessor

from scripts.hooks import CACHE, ROOT, page_language

RENDER_CACHE = CACHE / "render"
CONVERTING_PACKAGES = ("markdown", "pymdown-extensions", "pygments", "mkdocs", "mkdocs-material")
# Every hook's code: the cached search entries are taken after all of them changed the page's HTML.
CODE_KEY = b"\0".join([
    *(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py"))),
    *(f"{name}=={importlib.metadata.version(name)}".encode() for name in CONVERTING_PACKAGES),
])
SEARCH_PLUGIN = "material/search"
_ABSENT = object()  # a page without `search:` front matter
KEY_LENGTH = 24  # hex digits of the key in an entry's file name


class _WarningCounter(logging.Handler):
    """Counts MkDocs' warnings, so that a page whose conversion warned is not cached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_mkdocs_log = logging.getLogger("mkdocs")
# `mkdocs serve` loads this module again for each build: one counter only.
for _handler in [h for h in _mkdocs_log.handlers if type(h).__name__ == _WarningCounter.__name__]:
    _mkdocs_log.removeHandler(_handler)
_warnings = _WarningCounter()
_mkdocs_log.addHandler(_warnings)


def _digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def _config_key(config, files) -> str:
    """What conversion reads besides the page: extensions, their options, URLs and the site's files."""
    def name_of(value):  # functions in extension options (custom fences) by name, not by address
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"

    settings = json.dumps([
        [name_of(ext) if not isinstance(ext, str) else ext for ext in config["markdown_extensions"]],
        config["mdx_configs"], config["use_directory_urls"], config["validation"],
    ], sort_keys=True, default=name_of)
    listing = "\n".join(f"{file.src_uri}\t{file.dest_uri}\t{file.url}"
                        for file in sorted(files, key=lambda file: file.src_uri))
    return _digest(settings, listing)


def _snippet_bases(config) -> list[Path]:
    options = config["mdx_configs"].get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    return [Path(base) for base in ([bases] if isinstance(bases, str) else bases)]


def _included_files(text: str, bases: list[Path], seen: set[Path]) -> list[Path]:
    """The files pymdownx.snippets reads for this text, nested includes included, in order."""
    found = []
    in_block = False
    for line in text.splitlines():
        match = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
        if match and match["block_marker"]:
            in_block = not in_block
            continue
        if match and match["escape"]:
            continue
        if match:
            name = match["snippet"][1:-1]
        elif in_block and line.strip() and not line.strip().startswith(";"):
            name = line.strip()
        else:
            continue
        path = SnippetPreprocessor.RE_SNIPPET_FILE.match(name).group(1).strip()
        for base in bases:
            candidate = (base / path).resolve()
            if candidate.is_file() and candidate not in seen:
                seen.add(candidate)
                found.append(candidate)
                found += _included_files(candidate.read_text(encoding="utf-8"), bases, seen)
                break
    return found


def _page_key(markdown: str, page, config, files) -> str:
    included = _included_files(markdown, _snippet_bases(config), set())
    return _digest(
        CODE_KEY, _config_key(config, files), page.file.src_uri, page.url, page_language(page, config),
        # The front matter: Material's search entries read its title, tags and boost.
        json.dumps(page.meta, sort_keys=True, default=str), markdown,
        *(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\0{path.read_text(encoding='utf-8')}"
          for path in included),
    )


def _entry_path(page, key: str) -> Path:
    return RENDER_CACHE / f"{page.file.src_uri.replace('/', '--')}-{key[:KEY_LENGTH]}.json"


@mkdocs.plugins.event_priority(-10_000)  # last: the key is the Markdown that would be converted
def on_page_markdown(markdown, page, config, files, **kwargs):
    key = _page_key(markdown, page, config, files)
    path = _entry_path(page, key)
    if path.is_file():
        page.render_cache = {"hit": json.loads(path.read_text(encoding="utf-8")), "markdown": markdown}
        return ""
    page.render_cache = {"path": path, "warnings": _warnings.count}
    return markdown


@mkdocs.plugins.event_priority(10_000)  # first: the other hooks see the page as converted
def on_page_content(html, page, config, files, **kwargs):
    state = getattr(page, "render_cache", None)
    if not state:
        return html
    if "hit" in state:
        entry = state["hit"]
        page.markdown = state["markdown"]
        page.toc = get_toc(entry["toc"])
        # render() sets it from the first heading; MkDocs has no public setter.
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        page.links_to_anchors = {
            files.get_file_from_path(src_uri): links for src_uri, links in entry["links_to_anchors"].items()
        }
        return entry["html"]
    if _warnings.count != state["warnings"]:
        page.render_cache = None  # its warnings must show again next build
        return html
    state["entry"] = {
        "html": html,
        "toc": [_toc_token(item) for item in page.toc],
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links_to_anchors": {file.src_uri: links for file, links in (page.links_to_anchors or {}).items()},
    }
    return html


def _toc_token(item) -> dict:
    return {"level": item.level, "id": item.id, "name": item.title,
            "children": [_toc_token(child) for child in item.children]}


def _search_index(config):
    plugin = config.plugins.get(SEARCH_PLUGIN)
    if plugin is None or not plugin.config.enabled:
        return None
    index = getattr(plugin, "search_index", None)
    if not isinstance(getattr(index, "entries", None), list):
        raise PluginError(
            "Material's search plugin keeps no `search_index.entries` list any more: "
            "update scripts/hooks/render_cache.py (its search part) to the new plugin."
        )
    return index


@mkdocs.plugins.event_priority(10_000)  # before Material's search plugin indexes the page
def _before_search(context, page, config, **kwargs):
    state = getattr(page, "render_cache", None)
    index = _search_index(config)
    if not state or index is None:
        return context
    state["entries_before"] = len(index.entries)
    if "hit" in state and "search" in state["hit"]:
        state["meta_search"] = page.meta.get("search", _ABSENT)
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return context



@mkdocs.plugins.event_priority(-10_000)  # after Material's search plugin
def _after_search(context, page, config, **kwargs):
    state = getattr(page, "render_cache", None)
    index = _search_index(config)
    if not state:
        return context
    if "hit" in state:
        if "meta_search" in state:
            if state["meta_search"] is _ABSENT:
                del page.meta["search"]
            else:
                page.meta["search"] = state["meta_search"]
            index.entries.extend(state["hit"]["search"])
        return context
    entry = state.get("entry")
    if entry is None:
        return context
    if index is not None:
        entry["search"] = index.entries[state["entries_before"]:]
    _write(state["path"], entry)
    return context


def _write(path: Path, entry: dict) -> None:
    """One entry per page and language: the page's older entries go. Parallel builds may write at once."""
    RENDER_CACHE.mkdir(parents=True, exist_ok=True)
    for stale in RENDER_CACHE.glob(f"{path.name[:-len('-.json') - KEY_LENGTH]}-*.json"):
        if stale != path:
            stale.unlink(missing_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)


on_page_context = mkdocs.plugins.CombinedEvent(_before_search, _after_search)
