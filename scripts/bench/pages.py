"""Built sites served as GitHub Pages serves them, and what a first visit downloads."""

from __future__ import annotations

import gzip
import http.server
import io
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from scripts.bench.projects import bare_url
from scripts.bench.report import TIMES, Report, kilobytes, ratio, times
from scripts.bench.settings import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NOTEBOOK_BYTES_MAX_RATIO,
    NOTEBOOK_HTML_MAX_BYTES,
    NOTEBOOK_PAGES,
    PAGE_BYTES_MAX_RATIO,
)


class PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files served as GitHub Pages does: text gzipped, 404.html for misses.

    Without compression Lighthouse would flag a property of the test server,
    not of the site.
    """

    COMPRESSIBLE: ClassVar[set[str]] = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb"}

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # its redirect to the trailing slash
            path = path / "index.html"
        status = 200 if path.is_file() else 404
        if status == 404:
            path = Path(self.directory) / "404.html"
        body = path.read_bytes()
        compress = path.suffix in self.COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            body = gzip.compress(body)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def static_server(root: Path):
    """A loopback HTTP server for a built site; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(PagesLikeHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site: Path) -> list[str]:
    """URL paths of every HTML page: French, English, then the 404 page."""
    pages = sorted(path.parent.relative_to(site).as_posix() + "/" for path in site.rglob("index.html"))
    pages = ["" if page == "./" else page for page in pages]
    return [*sorted(pages, key=lambda page: (page.startswith("en/"), page)), "404.html"]


SEARCH_URL_RE = re.compile(r"/search/|/workers/search|/lunr/")


@dataclass
class Weight:
    html: int  # decoded
    total: int  # decoded bodies of every response
    transferred: int  # what went over the wire: headers and (gzipped) bodies
    requests: int
    search: int  # decoded bodies of the search index, workers and stemmers


def page_weight(browser, url: str) -> Weight:
    """Bytes of the page's HTML and of every response it loads, no cache."""
    context = browser.new_context()
    responses = []
    # Context-wide, so the search worker's fetches count too.
    context.on("response", lambda response: responses.append(response))
    page = context.new_page()
    document = page.goto(url, wait_until="networkidle")
    html = len(document.body())
    sizes = {response.url: len(response_body(response)) for response in responses}
    transferred = sum(wire_size(response) for response in responses)
    context.close()
    search = sum(size for url, size in sizes.items() if SEARCH_URL_RE.search(url))
    return Weight(html, sum(sizes.values()), transferred, len(responses), search)


def wire_size(response) -> int:
    """Headers and body as sent. The body's size comes from Content-Length (the
    test server always sends it): Chromium reports 0 for a worker's own script,
    which would hide the bare site's worker but not the one ours imports."""
    sizes = response.request.sizes()
    length = response.headers.get("content-length")
    return sizes["responseHeadersSize"] + (int(length) if length else sizes["responseBodySize"])


def response_body(response) -> bytes:
    try:
        return response.body()
    except Exception:  # redirects have no body
        return b""


def measure_weights(site_url: str, bare_site_url: str, pages: list[str]) -> dict[str, tuple[Weight, Weight]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return {page: (page_weight(browser, site_url + page), page_weight(browser, bare_site_url + bare_url(page)))
                    for page in pages}
        finally:
            browser.close()


def weight_budget(page: str) -> tuple[float | None, int | None]:
    """(total bytes ratio, HTML bytes) limits of a page; the 404 page has none."""
    if page == "404.html":
        return None, None
    if Path(page).name in NOTEBOOK_PAGES:
        return NOTEBOOK_BYTES_MAX_RATIO, NOTEBOOK_HTML_MAX_BYTES
    return PAGE_BYTES_MAX_RATIO, None


def report_weights(report: Report, weights: dict[str, tuple[Weight, Weight]]) -> None:
    rows = []
    for page, (real, bare) in weights.items():
        max_ratio, max_html = weight_budget(page)
        total_ratio = ratio(real.total, bare.total)
        wire_ratio = ratio(real.transferred, bare.transferred)
        budget, ok = "—", None
        if max_ratio is not None:
            ok = wire_ratio <= max_ratio and (max_html is None or real.html <= max_html)
            budget = f"transferred ≤ {max_ratio:g}{TIMES}" + (f", HTML ≤ {kilobytes(max_html)}" if max_html else "")
        mark = report.check(ok, f"/{page}: transferred {times(wire_ratio)}, decoded {times(total_ratio)}, "
                                f"HTML {kilobytes(real.html)}")
        rows.append([f"/{page}", f"{kilobytes(real.html)} / {kilobytes(bare.html)}",
                     f"{kilobytes(real.transferred)} / {kilobytes(bare.transferred)}", times(wire_ratio),
                     f"{kilobytes(real.total)} / {kilobytes(bare.total)}", times(total_ratio),
                     f"{real.requests} / {bare.requests}", f"{kilobytes(real.search)} / {kilobytes(bare.search)}",
                     budget, mark])
    report.table("Page weight (hosted build, Chromium, no cache; site / bare)",
                 ["page", "HTML", "transferred", "ratio", "decoded", "ratio", "requests", "of which search (decoded)",
                  "budget", "met"],
                 rows, ["Transferred: response headers and bodies as sent (the server gzips text, as GitHub Pages "
                        "does), the measure the budget applies to. Decoded: the bodies after decompression. "
                        "Measured once the page is loaded and the network idle, before anyone touches search: "
                        "the bare site has then loaded its search worker (lunr) and whole index; the site, "
                        "its language's small worker, Material's index stub (no pages) and, once the browser "
                        "was idle, Material's worker (lunr) and the language's stemmers. The language's index "
                        "loads when the reader is about to search (below)."])

