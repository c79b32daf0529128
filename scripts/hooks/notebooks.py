"""Notebook pages: re-wrapped after static-i18n, rendered light, cached, edited at their source."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

import mkdocs.plugins
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs_jupyter.plugin import NotebookFile
from mkdocs_static_i18n import folder as i18n_folder

from scripts.hooks import CACHE

NOTEBOOK_PAGE_CACHE = CACHE / "notebook-pages"


@mkdocs.plugins.event_priority(-200)  # after static-i18n's on_files
def on_files(files, config, **kwargs):
    _rewrap_notebooks(files, config)
    return files


def _rewrap_notebooks(files, config):
    """Re-wrap notebooks as pages after mkdocs-static-i18n rebuilt the files.

    static-i18n replaces every file with a plain File, which turns the
    notebooks back into static files (static-i18n issue #198). The Files
    object is kept (it is static-i18n's subclass, which resolves the nav),
    and each notebook keeps the destination static-i18n gave it.
    """
    notebooks = [
        file for file in files
        if file.src_uri.endswith(".ipynb") and not isinstance(file, NotebookFile)
    ]
    for file in notebooks:
        page = NotebookFile(file, **config)
        page.dest_path = file.dest_uri
        page.abs_dest_path = file.abs_dest_path
        page.url = file.url
        _link_translations(page, config)
        files.remove(file)
        files.append(page)
        i18n = config.plugins.get("i18n")
        if i18n is not None:
            # static-i18n's sitemap.xml lists the pages it saw in its own on_files.
            i18n.i18n_files_per_language.setdefault(i18n.current_language, []).append(page)


def _link_translations(page, config):
    """Give a notebook page its other-language counterparts, as static-i18n does for .md.

    static-i18n lists alternates only for the files it sees as pages, so a
    notebook's language selector fell back to the other language's home
    page. Each counterpart goes through static-i18n's own path logic.
    """
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    for language in i18n.build_languages:
        source = f"{language}/{page.norm_src_uri}"
        if language in page.alternates or not (Path(config.docs_dir) / source).is_file():
            continue
        original = File(source, config.docs_dir, config.site_dir, config.use_directory_urls)
        page.alternates[language] = i18n_folder.create_i18n_file(
            NotebookFile(original, **config), language, i18n.default_language,
            i18n.all_languages, config)


@mkdocs.plugins.event_priority(-50)  # after mkdocs-jupyter set up page.render
def on_pre_page(page, config, files, **kwargs):
    """Render each notebook page once per version of its .ipynb, then from a cache.

    Rendering a notebook (nbconvert, then _lighten_notebook) is most of a
    warm build. mkdocs-jupyter's own cache cannot help: it evicts every entry
    its current build did not use, and static-i18n builds each language
    separately, so the two languages evict each other.
    """
    if not isinstance(page.file, NotebookFile):
        return page
    render_notebook = page.render
    mode = "directory-urls" if config.use_directory_urls else "file-urls"
    slug = f"{page.file.src_uri.replace('/', '_')}-{mode}"
    key = hashlib.sha256(b"\0".join([
        Path(page.file.abs_src_path).read_bytes(),
        Path(__file__).read_bytes(),  # the slimming code below
        # Its links to other pages are resolved against the site's pages.
        "\n".join(sorted(file.src_uri for file in files.documentation_pages())).encode(),
        repr(sorted(config.plugins["mkdocs-jupyter"].config.items())).encode(),
        *(importlib.metadata.version(name).encode() for name in ("mkdocs-jupyter", "nbconvert", "mkdocs")),
    ])).hexdigest()[:16]
    cached = NOTEBOOK_PAGE_CACHE / f"{slug}-{key}.json"

    def render(config, files):
        if cached.is_file():
            entry = json.loads(cached.read_text(encoding="utf-8"))
        else:
            render_notebook(config, files)
            entry = {
                "content": _lighten_notebook(page.content, page, files),
                "toc": [_toc_token(item) for item in page.toc],
                "title": page.title,
            }
            NOTEBOOK_PAGE_CACHE.mkdir(parents=True, exist_ok=True)
            for stale in NOTEBOOK_PAGE_CACHE.glob(f"{slug}-*.json"):
                stale.unlink()
            cached.write_text(json.dumps(entry), encoding="utf-8")
        page.content, page.title = entry["content"], entry["title"]
        page.toc = get_toc(entry["toc"])

    page.render = render
    return page


def _toc_token(item) -> dict:
    return {"level": item.level, "id": item.id, "name": item.title,
            "children": [_toc_token(child) for child in item.children]}


def _lighten_notebook(html, page, files):
    """Turn mkdocs-jupyter's standalone notebook HTML into a light site page.

    mkdocs-jupyter inlines about 576 KB of JupyterLab CSS and loads MathJax,
    Mermaid and RequireJS from CDNs on every notebook page. None of that is
    needed here: code cells are restyled as Material code blocks (with
    Material's copy button) and assets/stylesheets/notebook.css lays out the
    outputs.
    """
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
    for image in soup.select(".jp-OutputArea-output img"):
        image["alt"] = _caption_for(image)
    # Outputs (fit logs, printed numbers) stay out of the search index: a
    # search for "loss" should find the prose, not an epoch's log line.
    for output in soup.select(".jp-OutputArea"):
        output["data-search-exclude"] = ""
    return str(soup)


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


def on_page_context(context, page, config, **kwargs):
    """A notebook's "Edit this page" opens its source, not the generated .ipynb."""
    if isinstance(page.file, NotebookFile) and config.repo_url:
        source = Path(page.file.src_uri).with_suffix(".md").as_posix()
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/notebooks/{source}"
    return context

