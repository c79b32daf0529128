"""What the browser tests know about a build: its pages, URLs and files."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scripts import i18n
from scripts.docs_checks import ROOT

# The configured languages (mkdocs.yml), the default one first: ("fr", "en").
LANGUAGES = i18n.languages()
DEFAULT_LANGUAGE = LANGUAGES[0]
SLUG_RE = re.compile(r"\A---\n(?:.*\n)*?slug:\s*([\w-]+)\s*\n")
# Material's code copy button: `.md-clipboard` up to 9.5, then in `.md-code__nav`.
COPY_BUTTON = ":is(.md-clipboard, [data-md-type=copy])"

# Blocks off screen are not rendered (docs/assets/stylesheets/extra.css, its last section). What
# judges rendered pixels (axe-core's colour contrast looks up what is painted
# behind each text) must first render them all, as each is once on screen.
RENDER_EVERY_BLOCK_CSS = "* { content-visibility: visible !important }"

# Material mounts a code block (its copy button) once it scrolls into view
# (`content.lazy`): show each block the reader can see, as a reader scrolling
# through the page would, then back to the top.
SCROLL_THROUGH_CODE_JS = """async () => {
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))
  for (const code of document.querySelectorAll('.md-content pre > code')) {
    if (!code.checkVisibility()) continue  // in a tab not shown, or a box not open
    code.scrollIntoView({ block: 'center' })
    await frame()
  }
  scrollTo(0, 0)
  await frame()
}"""


@dataclass(frozen=True)
class Site:
    """One build of the site, and how the browser reaches it."""

    name: str  # "hosted" (served, directory URLs) or "offline" (file://, .html URLs)
    root: Path
    base_url: str  # ends with "/": "http://127.0.0.1:PORT/" or "file:///.../"

    @property
    def hosted(self) -> bool:
        return self.name == "hosted"

    def pages(self) -> list[str]:
        """Every HTML page of the build, as a path relative to the root.

        The offline build's 404.html is left out: file:// never serves it.
        """
        pages = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))
        return [page for page in pages if self.hosted or page != "404.html"]

    def page_named(self, name: str, language: str) -> str:
        """`page_named("build-and-call", "en")` -> "en/build-and-call/index.html"."""
        page = "index.html" if name == "index" else (
            f"{name}/index.html" if self.hosted else f"{name}.html")
        return page if language == DEFAULT_LANGUAGE else f"{language}/{page}"

    def url(self, page: str) -> str:
        """The URL readers use for a page (a path relative to the root)."""
        if self.hosted and (page == "index.html" or page.endswith("/index.html")):
            page = page[: -len("index.html")]
        return self.base_url + page

    def owns(self, url: str) -> bool:
        return url.startswith(self.base_url)

    def file_for(self, url: str) -> Path | None:
        """The file the browser gets for a URL of this site (None: not this site)."""
        url = url.split("#", 1)[0].split("?", 1)[0]
        if not self.owns(url):
            return None
        path = self.root / unquote(url[len(self.base_url):])
        if self.hosted and path.is_dir():
            # http.server, like any static host, answers a folder with its index.html.
            path = path / "index.html"
        return path

    def page_of(self, url: str) -> str | None:
        """The page path (relative to the root) that a URL of this site opens."""
        path = self.file_for(url)
        if path is None:
            return None
        return path.resolve().relative_to(self.root.resolve()).as_posix()


def language_of(page: str) -> str:
    prefix = page.split("/", 1)[0]
    return prefix if prefix in LANGUAGES[1:] else DEFAULT_LANGUAGE


@functools.cache
def _slugs() -> dict[str, dict[str, str]]:
    """{language: {file stem: URL name}} for the pages whose front matter sets `slug:`."""
    found: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        for path in sorted((ROOT / "docs" / language).glob("*.md")):
            match = SLUG_RE.match(path.read_text(encoding="utf-8"))
            if match:
                found.setdefault(language, {})[path.stem] = match[1]
    return found


def page_in_language(page: str, language: str) -> str:
    """The same page in a language: `x/index.html` -> `en/x/index.html`, `glossaire/` -> `en/glossary/`."""
    source = language_of(page)
    relative = page if source == DEFAULT_LANGUAGE else page[len(source) + 1:]
    head, slash, tail = relative.partition("/")
    name, rest = (head, slash + tail) if slash else (head.removesuffix(".html"), ".html")
    stem = {url: stem for stem, url in _slugs().get(source, {}).items()}.get(name, name)
    translated = _slugs().get(language, {}).get(stem, stem) + rest
    return translated if language == DEFAULT_LANGUAGE else f"{language}/{translated}"


def counterpart(page: str) -> str:
    """The same page in the other language of the two: default <-> second."""
    other = LANGUAGES[1] if language_of(page) == DEFAULT_LANGUAGE else DEFAULT_LANGUAGE
    return page_in_language(page, other)


def page_in(page: str, language: str) -> str:
    return page if language_of(page) == language else page_in_language(page, language)


@dataclass
class Visit:
    """What happened while one page was open in the browser."""

    url: str
    requests: list[str] = field(default_factory=list)  # every URL requested, workers' included
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def copy(self) -> Visit:
        """What happened so far, unaffected by what happens next."""
        return Visit(self.url, list(self.requests), list(self.outside_requests), list(self.failed_requests),
                     list(self.console_errors))


class _IdCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            # An <a name> is a fragment target too (HTML's "legacy" anchors).
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


@functools.cache
def ids_in(path: Path) -> frozenset[str]:
    """Every fragment target (id, a[name]) of an HTML file."""
    collector = _IdCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return frozenset(collector.ids)


def link_problem(site: Site, href: str, url: str) -> str | None:
    """Why an internal link, resolved by the browser to `url`, is broken (None: fine)."""
    scheme = urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        return None  # mailto:, data: ... are not site links.
    if not site.owns(url):
        if scheme == "file":
            return f"{href!r} -> {url} leaves the site folder"
        return None  # A link to another web site: not ours to check.
    path = site.file_for(url)
    if not path.exists():
        return f"{href!r} -> {url}: no such file"
    if not path.is_file():
        return f"{href!r} -> {url} is a folder (file:// lists it instead of opening a page)"
    fragment = unquote(urlsplit(url).fragment)
    if fragment:
        if path.suffix != ".html":
            return f"{href!r} -> {url}: fragment on a non-HTML file"
        if fragment not in ids_in(path):
            return f"{href!r} -> {url}: no id {fragment!r} in {path.relative_to(site.root)}"
    return None
