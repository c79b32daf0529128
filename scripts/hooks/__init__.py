"""The site's MkDocs hooks, one file per concern, all listed in mkdocs.yml `hooks:`.

MkDocs loads each hook file by path, so every hook file starts by putting the
repository root on sys.path (`scripts.hooks.ROOT` is only importable after
that); this package holds what several of them share.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
ARCHIVE_NAME = "custom-tensorflow-layers-offline.zip"
ARCHIVE_URI = f"downloads/{ARCHIVE_NAME}"
# Material's documented mark for an element its search index skips (scripts/hooks/search.py
# says which); Material removes the attribute from the page once indexed.
SEARCH_EXCLUDE = 'data-search-exclude="not searched"'


def page_language(page, config) -> str:
    """The page's language (static-i18n sets `file.locale`), else the site's."""
    return getattr(page.file, "locale", None) or config.theme["language"]
