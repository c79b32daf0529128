"""Typography by the build: each page typeset for its language (scripts/typography.py).

Contributors type ordinary spaces; the French pages come out with no-break
spaces, typographic apostrophes and grouped digits, the English ones with
curly quotes. Code, URLs and attributes are never touched. The language's
polytypo locale is `typography:` in i18n/<locale>.yml (none: text kept as typed).

Typesetting a page costs about a tenth of a second, so results are cached by
content: a warm build only hashes each page.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

import mkdocs.plugins

from scripts import i18n, typography
from scripts.hooks import CACHE, page_language

TYPOGRAPHY_CACHE = CACHE / "typography"
# What the output depends on besides the page: the rules' code and polytypo's version.
CODE_KEY = b"\0".join([Path(typography.__file__).read_bytes(), importlib.metadata.version("polytypo").encode()])


@mkdocs.plugins.event_priority(-100)  # last: after the other hooks rewrote the page
def on_post_page(output, page, config, **kwargs):
    """The whole page (title, navigation, table of contents, article), outside code and attributes."""
    # No English fallback here: a language's typography is its own.
    locale = i18n.words(page_language(page, config), fallback=False).get("typography")
    if not locale:
        return output
    key = hashlib.sha256(b"\0".join([CODE_KEY, locale.encode(), output.encode()])).hexdigest()
    cached = TYPOGRAPHY_CACHE / f"{key}.html"
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    typeset = typography.typeset(output, locale)
    TYPOGRAPHY_CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(typeset, encoding="utf-8")
    return typeset
