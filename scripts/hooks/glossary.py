"""The glossary (glossary.yml, scripts/glossary.py): its page, hover definitions, page URLs.

- `[[glossary]]` on a page becomes the glossary table of the page's language.
- Every page gets the `abbr` definitions of its language appended, so that its
  glossary terms show their definition on hover (Material's content.tooltips).
- A page whose front matter says `slug: glossaire` is served at that URL
  (glossaire/, not glossary/): each language names the page in its own words,
  while the file keeps the same name in every language (docs/<locale>/glossary.md),
  as the language switch and the parity checks require.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

import mkdocs.plugins

from scripts import glossary
from scripts.hooks import page_language

SLUG_RE = re.compile(r"\A---\n(?:.*\n)*?slug:\s*([\w-]+)\s*\n(?:.*\n)*?---\n")


@mkdocs.plugins.event_priority(-150)  # after static-i18n placed the files, before the hooks listing them
def on_files(files, config, **kwargs):
    """Move a page with a `slug:` to <language folder>/<slug>/ (links follow: they name the file).

    Its counterparts in the other languages too (static-i18n's `alternates`,
    which the language switch and the sitemap's hreflang links use).
    """
    pages = files.documentation_pages()
    for file in [*pages, *(other for page in pages for other in getattr(page, "alternates", {}).values())]:
        _apply_slug(file, config)
    return files


def _apply_slug(file, config):
    if not file.src_uri.endswith(".md") or not file.abs_src_path or getattr(file, "slugged", False):
        return
    with open(file.abs_src_path, encoding="utf-8") as source:
        match = SLUG_RE.match(source.read(600))
    if not match:
        return
    # "" or "en": the folder above .../glossary/index.html (or of .../glossary.html).
    folder = PurePosixPath(file.dest_uri).parent
    folder = folder.parent if config.use_directory_urls else folder
    dest = (folder / match[1] / "index.html") if config.use_directory_urls else (folder / f"{match[1]}.html")
    file.dest_uri = dest.as_posix()
    file.url = file._get_url(config.use_directory_urls)
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))
    file.slugged = True


def on_page_markdown(markdown, page, config, **kwargs):
    language = page_language(page, config)
    if glossary.MARKER in markdown:
        markdown = "\n".join(
            glossary.render_table(language) if line.strip() == glossary.MARKER else line
            for line in markdown.split("\n")
        )
    return f"{markdown}\n\n{glossary.abbreviations(language)}\n"
