"""MkDocs hooks: the site's only build glue (see mkdocs.yml `hooks:`)."""

from __future__ import annotations

import sys
from pathlib import Path

import mkdocs.plugins
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
from mkdocs_jupyter.plugin import NotebookFile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import docs_checks  # noqa: E402


def on_pre_build(config, **kwargs):
    """Fail the build, naming file and line, on any contributor mistake."""
    problems = docs_checks.all_problems(Path(config.docs_dir))
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise PluginError(f"{len(problems)} problem(s) in the docs sources:\n{listing}")


@mkdocs.plugins.event_priority(-200)
def on_files(files, config, **kwargs):
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
        files.remove(file)
        files.append(page)
    return files


def on_page_content(html, page, config, files, **kwargs):
    """Turn mkdocs-jupyter's standalone notebook HTML into a light site page.

    mkdocs-jupyter inlines about 576 KB of JupyterLab CSS and loads MathJax,
    Mermaid and RequireJS from CDNs on every notebook page. None of that is
    needed here: code cells are restyled as Material code blocks (with
    Material's copy button) and assets/stylesheets/notebook.css lays out the
    outputs.
    """
    if not isinstance(page.file, NotebookFile):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["style", "script"]):
        tag.decompose()
    for tag in soup.select(".zeroclipboard-container"):
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
    for image in soup.select(".jp-RenderedImage img"):
        image["alt"] = _caption_for(image)
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
    return paragraphs[-1].get_text(" ", strip=True) if paragraphs else "Notebook figure"
