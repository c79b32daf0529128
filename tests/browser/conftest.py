"""Fixtures for the browser tests: both builds of the site, and one Chromium.

The hosted site is served over loopback; the offline site is opened from
file://, as a reader who unzipped the archive would. Every request that
leaves the site (another origin, or a file outside the site folder) is
aborted and recorded, so a test fails on it instead of the missing network
hiding it.

Everything is session-scoped and built lazily: with `-m "not browser"` no
site is built and no Chromium is launched.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from scripts.docs_checks import ROOT
from scripts.hooks import ARCHIVE_NAME
from scripts.publish import ARCHIVE_ROOT, remove_offline_404, zip_site
from tests.browser.site_model import Site, Visit

# Debian's Chromium; CHROMIUM_PATH picks another one (scripts/dev, CI use it too).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def _mkdocs_build(site_dir: Path, **env: str) -> None:
    """The strict build of scripts/publish.py, failing with mkdocs' log."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
         "--site-dir", str(site_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build ({env}) failed:\n{result.stdout}{result.stderr}",
                    pytrace=False)


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Site:
    """The offline build (OFFLINE=true), opened from file://."""
    root = tmp_path_factory.mktemp("offline") / ARCHIVE_ROOT
    _mkdocs_build(root, OFFLINE="true")
    remove_offline_404(root)
    return Site("offline", root, root.as_uri() + "/")


@pytest.fixture(scope="session")
def offline_archive(offline_site, tmp_path_factory) -> Path:
    """The offline build zipped, as scripts/publish.py does."""
    archive = tmp_path_factory.mktemp("archive") / ARCHIVE_NAME
    zip_site(offline_site.root, archive)
    return archive


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def hosted_site(tmp_path_factory, offline_archive):
    """The hosted build, carrying the real offline archive, served on loopback."""
    root = tmp_path_factory.mktemp("hosted") / "site"
    _mkdocs_build(root, OFFLINE_ARCHIVE=str(offline_archive))
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Site("hosted", root, f"http://127.0.0.1:{server.server_address[1]}/")
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session", params=["hosted", "offline"])
def site(request) -> Site:
    """Each build in turn."""
    return request.getfixturevalue(f"{request.param}_site")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `scripts/dev test` installs Debian's chromium "
                    "(or set CHROMIUM_PATH).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def open_page(browser):
    """`with open_page(site, page) as (tab, visit):` the page in a fresh context.

    Requests outside the site are aborted and listed in visit.outside_requests;
    failed requests to the site in visit.failed_requests; console errors and
    uncaught exceptions in visit.console_errors. They keep being recorded
    while the test clicks around.
    """

    @contextmanager
    def _open(site: Site, page: str, query: str | None = None, **context_options):
        context = browser.new_context(**context_options)
        visit = Visit(site.url(page) + (f"?{query}" if query else ""))
        # Context-wide, so the search worker's requests count too.
        context.on("request", lambda request: visit.requests.append(request.url))
        tab = context.new_page()

        def inside(url: str) -> bool:
            # Inline data (notebook plots) and about:blank never leave the page.
            return site.owns(url) or url.startswith(("data:", "blob:", "about:"))

        def route(route):
            if inside(route.request.url):
                route.continue_()
            else:
                route.abort()

        def on_request(request):
            # Chromium does not route file:// requests: record them here.
            if not inside(request.url) and request.url not in visit.outside_requests:
                visit.outside_requests.append(request.url)

        def on_request_failed(request):
            if site.owns(request.url):
                visit.failed_requests.append(f"{request.url} ({request.failure})")

        def on_response(response):
            if site.owns(response.url) and response.status >= 400:
                visit.failed_requests.append(f"{response.url} (HTTP {response.status})")

        def on_console(message):
            if message.type == "error":
                visit.console_errors.append(
                    f"console error: {message.text} (at {message.location.get('url')})")

        tab.route("**/*", route)
        tab.on("request", on_request)
        tab.on("requestfailed", on_request_failed)
        tab.on("response", on_response)
        tab.on("console", on_console)
        tab.on("pageerror", lambda error: visit.console_errors.append(f"page error: {error}"))
        try:
            tab.goto(visit.url, wait_until="load")
            # Material starts the search worker after `load`.
            tab.wait_for_load_state("networkidle")
            yield tab, visit
        finally:
            context.close()

    return _open
