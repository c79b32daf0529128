"""Material theme fixes: no background fetch it cannot complete, a cheap palette toggle,
a right 404 page, compiled templates."""

from __future__ import annotations

import re
import sys
from copy import deepcopy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

import jinja2

from scripts import i18n
from scripts.hooks import CACHE

TEMPLATE_BYTECODE_CACHE = CACHE / "jinja"
ALTERNATE_LINK_RE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')


def on_env(env, config, files, **kwargs):
    """Compile Material's templates once, not in every build and language.

    static-i18n builds each language with a fresh Jinja environment, and
    compiling Material's templates is about a third of a warm build.
    Jinja checks each template's source checksum before using its bytecode.
    """
    TEMPLATE_BYTECODE_CACHE.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(TEMPLATE_BYTECODE_CACHE))
    # The templates' own words (overrides/*.html): `site_words("fr").theme.download_notebook`,
    # from i18n/<locale>.yml with the English fallback.
    env.globals["site_words"] = i18n.words
    return env


def on_post_page(output, page, config, **kwargs):
    return _site_palette(_without_background_fetches(output))


def on_post_template(output_content, template_name, config, **kwargs):
    """404.html gets no on_post_page event."""
    if template_name == "404.html":
        return _site_palette(_without_background_fetches(output_content))
    return output_content


def _site_palette(html: str) -> str:
    """Unplug Material's palette script: the site's own runs the toggle (overrides/main.html says why)."""
    return html.replace('<form class="md-header__option" data-md-component="palette">',
                        '<form class="md-header__option">', 1)


def _without_background_fetches(html: str) -> str:
    """Keep Material from fetching what the site does not have, in every build.

    - The hreflang <link>s: Material fetches `sitemap.xml` under each one, and
      static-i18n points them at page URLs, where there is none (hosted: a 404
      on every page; file://: refused). The language selector's links already
      point to the counterpart page, and sitemap.xml carries the absolute
      hreflang URLs for search engines.
    - The repository link's `data-md-component="source"`: Material would call
      api.github.com for stars and forks, a third-party request (and none
      offline). The link itself stays.
    """
    html = ALTERNATE_LINK_RE.sub("", html)
    return html.replace(' data-md-component="source"', "")


def on_template_context(context, template_name, config, **kwargs):
    """404.html offers each language's home page, not the last page built.

    static-i18n rewrites config.extra.alternate for each page and leaves the
    last page's links there when the 404 page is rendered.
    """
    i18n = config.plugins.get("i18n")
    if template_name == "404.html" and i18n is not None and i18n.extra_alternate:
        # Set as an attribute, as static-i18n does: templates read that first.
        config.extra.alternate = deepcopy(i18n.extra_alternate)
    return context
