"""Notebook pages: `[[notebook:<name>.ipynb]]` renders an executed notebook, light and cached.

A page such as docs/fr/dense-relu-notebook.md holds the marker line; the
notebook next to it (written by `scripts/dev notebooks`) is rendered with
mkdocs-jupyter's converter, slimmed down to a Material page, and cached by
content. The notebook pages are thus ordinary Markdown pages for MkDocs and
static-i18n (language switch, sitemap, search), and a build that finds every
notebook in the cache does not import nbconvert at all: that import alone
costs more than a whole bare Material build.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

from mkdocs.exceptions import PluginError
from mkdocs.structure.toc import get_toc

from scripts.docs_checks import NOTEBOOK_MARKER_RE
from scripts.hooks import CACHE

NOTEBOOK_PAGE_CACHE = CACHE / "notebook-pages"
CONVERTER_PACKAGES = ("mkdocs-jupyter", "nbconvert", "mkdocs")


def on_page_markdown(markdown, page, config, **kwargs):
    """Remember which notebook a page shows; its marker stays as a paragraph."""
    markers = NOTEBOOK_MARKER_RE.findall(markdown)
    page.notebook = markers[0] if markers else None
    return markdown


def on_page_content(html, page, config, files, **kwargs):
    """Put the rendered notebook where its marker paragraph is."""
    if not getattr(page, "notebook", None):
        return html
    notebook = files.get_file_from_path((Path(page.file.src_uri).parent / page.notebook).as_posix())
    if notebook is None:
        raise PluginError(
            f"{page.file.src_uri}: [[notebook:{page.notebook}]] but there is no such notebook next to it; "
            "run `scripts/dev notebooks` to build it from notebooks/<lang>/."
        )
    rendered = _rendered_notebook(notebook, page, files, config)
    page.toc = get_toc(rendered["toc"])
    page.title = rendered["title"] or page.title
    # The download button (overrides/main.html) and the "Edit this page" source.
    page.meta["notebook_download"] = notebook.url_relative_to(page.file)
    if config.repo_url:
        source = Path(notebook.src_uri).with_suffix(".md").as_posix()
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/notebooks/{source}"
    marker = f"<p>[[notebook:{page.notebook}]]</p>"
    if marker not in html:
        raise PluginError(
            f"{page.file.src_uri}: [[notebook:{page.notebook}]] must be a paragraph of its own, "
            "with blank lines around it and nothing else on its line."
        )
    return html.replace(marker, rendered["content"], 1)


def _rendered_notebook(notebook, page, files, config) -> dict:
    """The slimmed HTML, TOC tokens and title of a notebook, from the cache when possible.

    The key covers what the output depends on: the notebook, this file (the
    slimming code), the converter's versions, the URL style and the site's
    pages (links in Markdown cells are resolved against them).
    """
    mode = "directory-urls" if config.use_directory_urls else "file-urls"
    slug = f"{notebook.src_uri.replace('/', '_')}-{mode}"
    key = hashlib.sha256(b"\0".join([
        Path(notebook.abs_src_path).read_bytes(),
        Path(__file__).read_bytes(),
        "\n".join(sorted(file.src_uri for file in files.documentation_pages())).encode(),
        *(importlib.metadata.version(name).encode() for name in CONVERTER_PACKAGES),
    ])).hexdigest()[:16]
    cached = NOTEBOOK_PAGE_CACHE / f"{slug}-{key}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))

    from mkdocs_jupyter.convert import nb2html  # nbconvert: imported only when rendering

    soup = _light_page(nb2html(notebook.abs_src_path, theme="", custom_mathjax_url=""), page, files)
    headings = [(int(tag.name[1]), tag["id"], _heading_text(tag))
                for tag in soup.find_all(re.compile(r"^h[1-6]$")) if tag.get("id")]
    entry = {
        "content": str(soup),
        "toc": _toc_tokens(headings),
        "title": next((text for level, _, text in headings if level == 1), None),
    }
    NOTEBOOK_PAGE_CACHE.mkdir(parents=True, exist_ok=True)
    for stale in NOTEBOOK_PAGE_CACHE.glob(f"{slug}-*.json"):
        stale.unlink()
    cached.write_text(json.dumps(entry), encoding="utf-8")
    return entry


def _heading_text(tag) -> str:
    """A heading's text without its "¶" permalink."""
    return "".join(
        str(child) if isinstance(child, str) else child.get_text()
        for child in tag.children
        if getattr(child, "name", None) != "a" or "headerlink" not in child.get("class", [])
    ).strip()


def _toc_tokens(headings: list[tuple[int, str, str]]) -> list[dict]:
    """MkDocs' TOC tokens (nested by level) for (level, id, text) headings in page order."""
    root = {"level": 0, "children": []}
    stack = [root]
    for level, anchor, text in headings:
        token = {"level": level, "id": anchor, "name": text, "children": []}
        while stack[-1]["level"] >= level:
            stack.pop()
        stack[-1]["children"].append(token)
        stack.append(token)
    return root["children"]


def _light_page(html, page, files):
    """Turn mkdocs-jupyter's standalone notebook HTML into a light site page.

    mkdocs-jupyter inlines about 576 KB of JupyterLab CSS and loads MathJax,
    Mermaid and RequireJS from CDNs on every notebook page. None of that is
    needed here: code cells are restyled as Material code blocks (with
    Material's copy button) and assets/stylesheets/extra.css (its notebook
    section) lays out the outputs.
    """
    from bs4 import BeautifulSoup  # only when rendering, like nbconvert

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["style", "script"]):
        tag.decompose()
    # mkdocs-jupyter's own copy button and the hidden text it copies (hidden only
    # by the JupyterLab CSS removed above); Material adds its own button.
    for tag in soup.select(".zeroclipboard-container, .clipboard-copy-txt"):
        tag.decompose()
    for block in soup.select("div.highlight-ipynb"):
        block["class"] = ["highlight"]
        pre = block.find("pre")
        code = soup.new_tag("code")
        code.extend(list(pre.contents))
        pre.clear()
        pre.append(code)
    for link in soup.find_all("a", href=True):
        target, _, anchor = link["href"].partition("#")
        if target.endswith(".md") and "://" not in target:
            link["href"] = _page_url(target, page, files) + (f"#{anchor}" if anchor else "")
    # nbconvert's "¶" links become Material's permalinks: styled as on the other pages, and kept
    # out of search result titles (Material's search skips `headerlink` links).
    for link in soup.select("a.anchor-link"):
        link["class"] = ["headerlink"]
    for image in soup.select(".jp-OutputArea-output img"):
        image["alt"] = _caption_for(image)
    return soup


def _page_url(target: str, page, files) -> str:
    """Relative URL of a .md page linked from a notebook's Markdown cell."""
    folder = Path(page.file.src_uri).parent
    linked = files.get_file_from_path((folder / target).as_posix())
    if linked is None:
        raise PluginError(
            f"{page.file.src_uri}: link to '{target}' in a Markdown cell does not match any page; "
            "fix the link in the notebook source under notebooks/, then rebuild the notebook."
        )
    return linked.url_relative_to(page.file)


def _caption_for(image) -> str:
    """Alt text for a plot: the last paragraph before its code cell."""
    cell = image.find_parent(class_="jp-CodeCell")
    previous = cell.find_previous(class_="jp-MarkdownCell") if cell else None
    paragraphs = previous.find_all("p") if previous else []
    # The paragraph introduces the figure ("…, then their accuracy:"): no colon in alt text.
    return paragraphs[-1].get_text(" ", strip=True).rstrip(" :") if paragraphs else "Notebook figure"


