"""MkDocs hooks: the site's only build glue (see mkdocs.yml `hooks:`)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import re
import sys
import zipfile
from copy import deepcopy
from pathlib import Path

import jinja2
import mkdocs.plugins
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs_jupyter.plugin import NotebookFile
from mkdocs_static_i18n import folder as i18n_folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import claims, docs_checks  # noqa: E402 (needs the sys.path line above)


def on_pre_build(config, **kwargs):
    """Fail the build, naming file and line, on any contributor mistake."""
    problems = docs_checks.all_problems(Path(config.docs_dir))
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise PluginError(f"{len(problems)} problem(s) in the docs sources:\n{listing}")


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


def on_page_content(html, page, config, files, **kwargs):
    """Every page ends with the "Tested with" stamp of the run that built it."""
    return html + f"\n<p>{claims.stamp(_language(page, config), _claims_results())}</p>\n"


NOTEBOOK_PAGE_CACHE = ROOT / ".cache" / "notebook-pages"
TEMPLATE_BYTECODE_CACHE = ROOT / ".cache" / "jinja"


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


IFRAME_WORKER_SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
SEARCH_WORKER_SOURCE = ROOT / "scripts" / "search_worker.js"
MATERIAL_WORKER_RE = re.compile(r"assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)")
ARCHIVE_NAME = "custom-tensorflow-layers-offline.zip"
ARCHIVE_URI = f"downloads/{ARCHIVE_NAME}"
ALTERNATE_LINK_RE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_LABEL_RE = re.compile(r'class="md-search__input" name="query" aria-label="([^"]*)"')


def is_offline_build(config) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


@mkdocs.plugins.event_priority(-200)
def on_files(files, config, **kwargs):
    _rewrap_notebooks(files, config)
    _add_site_assets(files, config)
    _add_search_workers(files, config)
    return files


def _add_search_workers(files, config):
    """One search worker per language: see scripts/search_worker.js for what it adds."""
    material_worker = _material_search_worker(files)
    i18n = config.plugins.get("i18n")
    languages = i18n.all_languages if i18n else [config.theme["language"]]
    default = i18n.default_language if i18n else config.theme["language"]
    prefixes = {language: "" if language == default else f"{language}/" for language in languages}
    for language, prefix in prefixes.items():
        settings = {
            "material": material_worker,
            "prefix": prefix,
            "otherPrefixes": [other for other in prefixes.values() if other != prefix],
        }
        content = f"const SEARCH_WORKER = {json.dumps(settings)}\n" + SEARCH_WORKER_SOURCE.read_text(encoding="utf-8")
        files.append(File.generated(config, f"assets/javascripts/workers/search-{language}.js", content=content))


def _material_search_worker(files) -> str:
    names = [match[1] for file in files if (match := MATERIAL_WORKER_RE.fullmatch(file.src_uri))]
    if len(names) != 1:
        raise PluginError(
            f"expected one Material search worker (assets/javascripts/workers/search.*.min.js), found {names}: "
            "Material changed its layout; update MATERIAL_WORKER_RE and scripts/search_worker.js."
        )
    return names[0]


def _use_language_search_worker(html: str, language: str) -> str:
    """Point Material's config (the `search` key of #__config) at the page language's worker."""
    html, count = MATERIAL_WORKER_RE.subn(f"assets/javascripts/workers/search-{language}.js", html)
    if count != 1:
        raise PluginError(
            f"expected Material's search worker once in each page's #__config, found it {count} times: "
            "Material changed its base.html; update _use_language_search_worker in scripts/hooks.py."
        )
    return html


def _add_site_assets(files, config):
    """Serve pinned npm assets and the offline archive from the site itself."""
    if not IFRAME_WORKER_SHIM.is_file():
        raise PluginError(
            f"{IFRAME_WORKER_SHIM.relative_to(ROOT)} is missing: run `npm ci` "
            "(scripts/dev does it) to install the pinned iframe-worker shim."
        )
    # Listed in extra.polyfills, so the offline plugin does not add unpkg's copy.
    files.append(File.generated(config, "assets/javascripts/iframe-worker.js",
                                abs_src_path=str(IFRAME_WORKER_SHIM)))
    if is_offline_build(config):
        return
    archive = os.environ.get("OFFLINE_ARCHIVE")
    if archive:
        files.append(File.generated(config, ARCHIVE_URI, abs_src_path=archive))
    else:
        files.append(File.generated(config, ARCHIVE_URI, content=_placeholder_archive()))


def _placeholder_archive() -> bytes:
    """What a development build links to: the real archive needs `scripts/dev build`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "README.txt",
            "This development build does not contain the offline site.\n"
            "Run `scripts/dev build` to produce the real archive.\n",
        )
    return buffer.getvalue()


def on_page_markdown(markdown, page, config, **kwargs):
    """Expand claim verdicts; offline, drop the section linking to the archive.

    The offline site is that archive: its "Read offline" section would link
    to a file it cannot contain.
    """
    markdown = _expand_claims(markdown, page, config)
    if not is_offline_build(config) or ARCHIVE_NAME not in markdown:
        return markdown
    sections = re.split(r"(?m)^(?=## )", markdown)
    return "".join(section for section in sections if ARCHIVE_NAME not in section)


def on_post_page(output, page, config, **kwargs):
    """Every build: no background fetch Material cannot complete; a named search dialog
    that searches the page's language."""
    output = _use_language_search_worker(output, _language(page, config))
    return _name_search_dialog(_without_background_fetches(output))


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


def _name_search_dialog(html: str) -> str:
    """Name Material's search dialog after its search field ("Rechercher", "Search").

    Its role="dialog" has no accessible name (axe-core: aria-dialog-name).
    """
    label = SEARCH_LABEL_RE.search(html)
    if label is None:
        return html
    return html.replace(SEARCH_DIALOG, f'{SEARCH_DIALOG[:-1]} aria-label="{label[1]}">', 1)


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


def on_post_template(output_content, template_name, config, **kwargs):
    """404.html gets no on_post_page event."""
    if template_name == "404.html":
        output_content = _use_language_search_worker(output_content, config.theme["language"])
        return _name_search_dialog(_without_background_fetches(output_content))
    return output_content


def on_page_context(context, page, config, **kwargs):
    """A notebook's "Edit this page" opens its source, not the generated .ipynb."""
    if isinstance(page.file, NotebookFile) and config.repo_url:
        source = Path(page.file.src_uri).with_suffix(".md").as_posix()
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/notebooks/{source}"
    return context


def _language(page, config) -> str:
    return getattr(page.file, "locale", None) or config.theme["language"]


def _claims_results():
    return claims.load_results(os.environ.get("CLAIMS_RESULTS"))


def on_config(config, **kwargs):
    """With test results (publishing build), refuse to publish a claim whose test failed."""
    failed = claims.failures(claims.load(), _claims_results())
    if failed:
        raise PluginError("claims whose tests did not pass:\n  - " + "\n  - ".join(failed))
    return config


def _expand_claims(markdown: str, page, config) -> str:
    """`[[claim:id]]` lines become verdicts; `[[claims-table]]` the full table."""
    if "[[claim" not in markdown:
        return markdown
    language = _language(page, config)
    registry = {claim["id"]: claim for claim in claims.load()}
    results = _claims_results()
    lines = []
    for line in markdown.split("\n"):
        match = claims.MARKER_RE.match(line.strip())
        if match:
            lines.append(claims.render_verdict(registry[match["id"]], language, results, config.repo_url))
        elif line.strip() == claims.TABLE_MARKER:
            titles = _page_titles(Path(config.docs_dir) / language)
            lines.append(claims.render_table(list(registry.values()), language, results, config.repo_url, titles))
        else:
            lines.append(line)
    return "\n".join(lines)


def _page_titles(folder: Path) -> dict[str, str]:
    titles = {}
    for path in folder.glob("*.md"):
        heading = next((line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# ")), "")
        titles[path.name] = heading[2:].strip() or path.stem
    return titles


def on_env(env, config, files, **kwargs):
    """Compile Material's templates once, not in every build and language.

    static-i18n builds each language with a fresh Jinja environment, and
    compiling Material's templates is about a third of a warm build.
    Jinja checks each template's source mtime before using its bytecode.
    """
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(TEMPLATE_BYTECODE_CACHE))
    TEMPLATE_BYTECODE_CACHE.mkdir(parents=True, exist_ok=True)
    return env
