"""The projects measured: a copy of the repository, the bare Material baseline, copies grown to N times the pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from scripts.bench.settings import ENV
from scripts.docs_checks import INCLUDE_RE, LANGUAGES, ROOT, SECTION_RE
from scripts.hooks.glossary import SLUG_RE


def copy_repo(target: Path) -> Path:
    """The repository without its caches, environment and builds; npm packages linked."""
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", "__pycache__", ".*_cache", ".cache"))
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def bare_page(text: str) -> str:
    """A page as plain Markdown: snippet includes replaced by their code, notebook links to .md pages.

    The bare site has no pymdownx.snippets, so the code is pasted in: both
    sites then show and index the same code.
    """
    lines = []
    for line in text.splitlines():
        include = INCLUDE_RE.match(line)
        lines.extend(snippet_text(include["path"], include["section"]) if include else [line])
    return re.sub(r"(\]\([\w./-]+)\.ipynb\b", r"\1.md", "\n".join(lines) + "\n")


def snippet_text(path: str, section: str | None) -> list[str]:
    """The lines a snippet include shows: the whole file or one section, dedented, markers dropped."""
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    if section:
        start = next(n for n, line in enumerate(lines) if SECTION_RE.search(line) and f"[start:{section}]" in line)
        end = next(n for n, line in enumerate(lines) if SECTION_RE.search(line) and f"[end:{section}]" in line)
        lines = lines[start + 1:end]
    lines = [line for line in lines if not SECTION_RE.search(line)]
    return textwrap.dedent("\n".join(lines)).splitlines()


def make_bare_site(target: Path) -> Path:
    """The baseline project: the same pages, `theme: material` and nothing else.

    No `plugins:` key, so MkDocs adds its default search plugin, as on any
    stock Material site: the baseline has search, in its default setup (one
    index for the whole site, English stemming only).

    Notebook pages are represented by their Markdown sources
    (notebooks/<lang>/<name>.md), so every page has a bare counterpart.
    Page images are content, so they are copied; stylesheets are not.
    """
    docs = target / "docs"
    for language in LANGUAGES:
        pages = [*(ROOT / "docs" / language).glob("*.md"), *(ROOT / "notebooks" / language).glob("*.md")]
        (docs / language).mkdir(parents=True)
        for page in pages:
            text = page.read_text(encoding="utf-8")
            # A page the site serves under its `slug:` (the French glossary at /glossaire/) has that URL here too.
            slug = SLUG_RE.match(text)
            name = f"{slug[1]}.md" if slug else page.name
            (docs / language / name).write_text(bare_page(text), encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets", ignore=shutil.ignore_patterns("stylesheets"))
    # No Google Fonts, as the site (whose pages make no third-party request).
    (target / "mkdocs.yml").write_text(
        "site_name: Bare Material baseline\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")
    return target


# The pages --scale copies: the articles (not the home, notebook or claims pages).
ARTICLES = ("build-and-call", "custom-vs-lambda", "dense-relu-from-scratch")


def scale_pages(docs: Path, scale: int) -> int:
    """Grow a project's docs/ to `scale` times its pages with copies of the articles,
    in every language (docs/<lang>/<article>-copy-<n>.md); returns the page count."""
    pages = len(list(docs.glob("*/*.md")))
    copies = (scale - 1) * pages // (len(ARTICLES) * len(LANGUAGES))
    for language in LANGUAGES:
        for name in ARTICLES:
            text = (docs / language / f"{name}.md").read_text(encoding="utf-8")
            # A page with code has its notebook (scripts/page_notebooks.py): its copies too.
            notebook = docs / language / "notebooks" / f"{name}.ipynb"
            for number in range(1, copies + 1):
                (docs / language / f"{name}-copy-{number}.md").write_text(text, encoding="utf-8")
                if notebook.is_file():
                    shutil.copyfile(notebook, notebook.with_name(f"{name}-copy-{number}.ipynb"))
    return len(list(docs.glob("*/*.md")))


def bare_url(page: str) -> str:
    """The baseline's URL path of a site page: the bare site keeps fr/ in its URLs."""
    if page == "404.html" or page.startswith("en/"):
        return page
    return f"{LANGUAGES[0]}/{page}"


def run(command: list[str], cwd: Path, log: Path, timeout: float = 1800) -> float:
    """Run to completion, output to `log`; seconds taken. Fails loudly with the log's tail."""
    start = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(command, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT,
                                timeout=timeout, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{' '.join(command)} failed in {cwd} (exit {result.returncode}):\n{tail}")
    return elapsed


def mkdocs_build(project: Path, site: Path, log: Path, strict: bool = True) -> float:
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)]
    return run(command + (["--strict"] if strict else []), project, log)

