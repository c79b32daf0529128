"""Benchmark the site against a bare Material site built from the same pages.

    .venv/bin/python -m scripts.bench           # everything (about 15 minutes on 2 cores)
    .venv/bin/python -m scripts.bench --quick   # skips the slowest parts (see --help)

Prints Markdown tables and exits 1 when a budget is missed. Shared machines
are noisy, so times are also measured, in the same run, on a baseline: a bare
Material site (Material's defaults: no plugin configured, so MkDocs' default
search plugin only; no hooks, MkDocs' default Markdown extensions only, no
custom CSS) built from the same Markdown pages, snippet includes pasted in as code.
Time budgets are ratios against it, except edit-to-reload (2 s, absolute).

Everything runs on a copy of the repository in a temporary folder: the cold
build re-executes the notebooks, which rewrites docs/*/dense-relu-notebook.ipynb,
and the reload test edits a page.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import http.server
import io
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import ClassVar

from scripts.docs_checks import INCLUDE_RE, LANGUAGES, ROOT, SECTION_RE
from scripts.hooks.glossary import SLUG_RE
from scripts.matrix import GENERATIONS

# Budgets (see the README's Benchmark section).
WARM_BUILD_MAX_RATIO = 1.5  # at today's size and at --scale times the pages
RELOAD_MAX_SECONDS = 2.0
FAST_SUITE_MAX_SECONDS = 60.0
# `bash .ci/run` in a fresh clone, installs included (--ci-run).
CI_RUN_MAX_SECONDS = 12 * 60.0
PAGE_BYTES_MAX_RATIO = 1.0
NOTEBOOK_BYTES_MAX_RATIO = 1.2
NOTEBOOK_HTML_MAX_BYTES = 200_000
SEARCH_FIRST_RESULTS_MAX_MS = 300  # first keystroke to results, search loaded on focus
LIGHTHOUSE_MIN_SCORES = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}
# Lighthouse's default (mobile) preset, against stock Material's same page in the same run.
MOBILE_PERFORMANCE_SLACK = 0.02  # score ≥ stock's - 0.02
MOBILE_TBT_MAX_RATIO, MOBILE_TBT_SLACK_MS = 1.5, 50  # TBT ≤ 1.5 x stock's + 50 ms
MOBILE_CLS_MAX = 0.01
MOBILE_RUNS = 3  # median of 3 runs per page
DEFAULT_SCALE = 5

WARM_BUILDS = 3  # the median of several warm builds and reloads tames the noise
SEARCH_ROUNDS = 5
RELOAD_ROUNDS = 3
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
# The page edited under `mkdocs serve`: French, so at the site root.
RELOAD_PAGE = "build-and-call"
NOTEBOOK_PAGES = {path.stem for path in (ROOT / "docs" / LANGUAGES[0]).glob("*.ipynb")}


# --- Report -----------------------------------------------------------------


@dataclass
class Report:
    """Markdown tables, notes under them, and the budgets missed."""

    sections: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def table(self, title: str, headers: list[str], rows: list[list[str]], notes: list[str] = ()) -> None:
        lines = [f"### {title}", "", "| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        if notes:
            lines += ["", *notes]
        self.sections.append("\n".join(lines))
        # Sections are printed as they come: a long run shows progress.
        print(self.sections[-1] + "\n", flush=True)

    def check(self, ok: bool | None, what: str) -> str:
        """✔/✘ cell; a ✘ is remembered for the exit status and the summary."""
        if ok is None:
            return "—"
        if not ok:
            self.missed.append(what)
        return "✔" if ok else "✘"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


TIMES = "\N{MULTIPLICATION SIGN}"


def times(value: float) -> str:
    return f"{value:.2f}{TIMES}"


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline else float("inf")


def kilobytes(size: int) -> str:
    return f"{size / 1000:,.1f} kB"


# --- Copies and builds --------------------------------------------------------


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


# --- 1-2. Builds ----------------------------------------------------------------


@dataclass
class BuildTimes:
    notebooks: float | None
    cold: float
    warm: list[float]


def time_real_builds(repo: Path, site: Path, logs: Path, execute_notebooks: bool) -> BuildTimes:
    notebooks = None
    if execute_notebooks:
        notebooks = run([sys.executable, "-m", "scripts.notebooks"], repo, logs / "notebooks.log")
    cold = mkdocs_build(repo, site, logs / "real-cold.log")
    warm = [mkdocs_build(repo, site, logs / f"real-warm-{n}.log") for n in range(WARM_BUILDS)]
    return BuildTimes(notebooks, cold, warm)


def time_bare_builds(bare: Path, site: Path, logs: Path, suffix: str = "") -> BuildTimes:
    # Not strict: links to pages that only exist on the real site would warn.
    cold = mkdocs_build(bare, site, logs / f"bare{suffix}-cold.log", strict=False)
    warm = [mkdocs_build(bare, site, logs / f"bare{suffix}-warm-{n}.log", strict=False) for n in range(WARM_BUILDS)]
    return BuildTimes(None, cold, warm)


@dataclass
class ScaledBuilds:
    scale: int
    pages: int
    real: BuildTimes
    bare: BuildTimes


def time_scaled_builds(work: Path, scale: int, logs: Path) -> ScaledBuilds:
    """Both projects grown to `scale` times their pages (scale_pages), built cold then warm."""
    repo = copy_repo(work / f"repo-x{scale}")
    bare = make_bare_site(work / f"bare-x{scale}")
    pages = scale_pages(repo / "docs", scale)
    scale_pages(bare / "docs", scale)
    real = BuildTimes(None, mkdocs_build(repo, work / f"site-x{scale}", logs / f"real-x{scale}-cold.log"),
                      [mkdocs_build(repo, work / f"site-x{scale}", logs / f"real-x{scale}-warm-{n}.log")
                       for n in range(WARM_BUILDS)])
    return ScaledBuilds(scale, pages, real, time_bare_builds(bare, work / f"bare-site-x{scale}", logs, f"-x{scale}"))


def report_builds(report: Report, real: BuildTimes, bare: BuildTimes, scaled: ScaledBuilds | None) -> None:
    rows = []
    real_cold = real.cold + (real.notebooks or 0)
    what = "cold: notebooks executed + strict build" if real.notebooks is not None else \
        "cold: strict build (notebooks not executed: --quick)"
    rows.append([what, seconds(real_cold), seconds(bare.cold), times(ratio(real_cold, bare.cold)), "—", "—"])
    if real.notebooks is not None:
        rows.append(["… of which notebook execution", seconds(real.notebooks), "—", "—", "—", "—"])
        rows.append(["… of which strict build", seconds(real.cold), seconds(bare.cold),
                     times(ratio(real.cold, bare.cold)), "—", "—"])
    sizes = [("", real, bare)]
    if scaled:
        sizes.append((f", {scaled.scale}{TIMES} the pages ({scaled.pages})", scaled.real, scaled.bare))
    for label, real_, bare_ in sizes:
        real_warm, bare_warm = statistics.median(real_.warm), statistics.median(bare_.warm)
        warm_ratio = ratio(real_warm, bare_warm)
        ok = report.check(warm_ratio <= WARM_BUILD_MAX_RATIO, f"warm build{label}: {times(warm_ratio)} the bare build")
        rows.append([f"warm{label}: strict build, nothing changed (median of {WARM_BUILDS})", seconds(real_warm),
                     seconds(bare_warm), times(warm_ratio), f"≤ {WARM_BUILD_MAX_RATIO:g}{TIMES}", ok])
    report.table("Builds", ["measure", "site", "bare Material", "ratio", "budget", "met"], rows)


# --- 3. Edit to reload ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:  # not up yet, or rebuilding
        return None


def wait_for_text(url: str, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        html = fetch(url)
        if html is not None and text in html:
            return
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout:.0f} s")


@contextmanager
def mkdocs_serve(project: Path, log: Path):
    """`mkdocs serve` on a free loopback port; yields its base URL."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env=ENV, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.send_signal(signal.SIGINT)  # mkdocs serve's own clean shutdown
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def reload_times(project: Path, page: Path, url_path: str, log: Path) -> list[float]:
    """Seconds from appending a line to `page` to its served HTML showing that line."""
    original = page.read_text(encoding="utf-8")
    elapsed = []
    with mkdocs_serve(project, log) as base:
        url = base + url_path
        wait_for_text(url, "</html>", timeout=600)
        try:
            for number in range(RELOAD_ROUNDS):
                token = f"bench-reload-{number}-{time.time_ns()}"
                start = time.perf_counter()
                page.write_text(f"{original}\n{token}\n", encoding="utf-8")
                wait_for_text(url, token, timeout=300)
                elapsed.append(time.perf_counter() - start)
                # The page is written before the rest of the site: let the rebuild finish.
                time.sleep(max(3.0, 2 * elapsed[-1]))
        finally:
            page.write_text(original, encoding="utf-8")
    return elapsed


def report_reload(report: Report, real: list[float], bare: list[float]) -> None:
    real_median, bare_median = statistics.median(real), statistics.median(bare)
    ok = report.check(real_median <= RELOAD_MAX_SECONDS, f"edit-to-reload {real_median:.2f} s")
    rows = [[f"append a line to docs/{LANGUAGES[0]}/{RELOAD_PAGE}.md (median of {RELOAD_ROUNDS})",
             seconds(real_median), seconds(bare_median), times(ratio(real_median, bare_median)),
             f"≤ {RELOAD_MAX_SECONDS:g} s", ok]]
    notes = [f"Each round, site: {', '.join(map(seconds, real))}; bare: {', '.join(map(seconds, bare))}."]
    report.table("Edit to reload (`mkdocs serve`)", ["measure", "site", "bare Material", "ratio", "budget", "met"],
                 rows, notes)


# --- 4. Test suite ----------------------------------------------------------------


@dataclass
class SuiteRun:
    seconds: float
    passed: bool
    summary: str


def time_suite(repo: Path, log: Path, *arguments: str, env: dict | None = None) -> SuiteRun:
    command = [sys.executable, "-m", "pytest", *arguments, "-p", "no:cacheprovider", "-q"]
    start = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(command, cwd=repo, env={**ENV, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
                                check=False)
    elapsed = time.perf_counter() - start
    lines = [line.strip("= ") for line in log.read_text(errors="replace").splitlines() if line.strip()]
    return SuiteRun(elapsed, result.returncode == 0, lines[-1] if lines else "no output")


def time_matrix(repo: Path, logs: Path) -> dict[str, SuiteRun]:
    """The non-browser suite under each column of the test matrix (scripts/matrix.py)."""
    return {
        # As scripts/dev test runs it: pytest-xdist, a worker per core, a test file per worker.
        name: time_suite(repo, logs / f"pytest-fast-{name}.log", "-m", "not browser", "-n", "auto",
                         "--dist", "loadfile",
                         *column.get("paths", []),
                         env=column["env"])
        for name, column in GENERATIONS.items()
    }


def report_suites(report: Report, fast: dict[str, SuiteRun], full: SuiteRun | None) -> None:
    rows = []
    for name, run_ in fast.items():
        column = GENERATIONS[name]
        ok = report.check(run_.seconds <= FAST_SUITE_MAX_SECONDS,
                          f"non-browser suite under {column['label']} {run_.seconds:.0f} s")
        paths = " ".join(column.get("paths", []))
        rows.append([f'{column["label"]}: `pytest -m "not browser"{" " + paths if paths else ""}`',
                     seconds(run_.seconds), run_.summary, f"≤ {FAST_SUITE_MAX_SECONDS:g} s", ok])
    if full is not None:
        rows.append(["`pytest` (browser tests included)", seconds(full.seconds), full.summary, "—", "—"])
    for run_ in [*fast.values(), full]:
        if run_ is not None:
            report.check(run_.passed, f"test suite failed: {run_.summary}")
    report.table("Test suite (`-p no:cacheprovider -q`)", ["suite", "wall time", "result", "budget", "met"], rows,
                 ["A failing suite also counts as a missed budget."])


def time_ci_run(clone: Path, log: Path) -> SuiteRun:
    """`bash .ci/run` as CI runs it: a fresh clone of HEAD, its own venv and node_modules."""
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    start = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(["bash", ".ci/run"], cwd=clone, env=ENV, stdout=out, stderr=subprocess.STDOUT,
                                check=False)
    elapsed = time.perf_counter() - start
    lines = [line.strip("= ") for line in log.read_text(errors="replace").splitlines() if line.strip()]
    return SuiteRun(elapsed, result.returncode == 0, lines[-1] if lines else "no output")


def report_ci_run(report: Report, run_: SuiteRun) -> None:
    ok = report.check(run_.seconds <= CI_RUN_MAX_SECONDS, f"`.ci/run` from a fresh clone {run_.seconds:.0f} s")
    report.check(run_.passed, f"`.ci/run` failed: {run_.summary}")
    report.table("`.ci/run` from a fresh clone of HEAD", ["run", "wall time", "last line", "budget", "met"],
                 [["`bash .ci/run` (installs included)", seconds(run_.seconds), run_.summary,
                   f"≤ {CI_RUN_MAX_SECONDS / 60:g} min", ok]],
                 ["pip and npm may reuse this machine's download caches; Chromium is already installed."])


# --- 5-6. Pages: bytes and Lighthouse ------------------------------------------------


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
                        "its language's small worker and Material's index stub (no pages). Lunr, the stemmers "
                        "and the language's index load when the reader focuses the search field (below)."])


# --- Search on demand -------------------------------------------------------------

# Records, in the page's clock, the first keydown in the search field and the
# first search result shown after it.
FIRST_RESULTS_JS = """() => {
  const field = document.querySelector("input.md-search__input")
  const list = document.querySelector(".md-search-result__list")
  let start = null
  field.addEventListener("keydown", () => { start ??= performance.now() }, { capture: true })
  new MutationObserver((_, observer) => {
    if (start !== null && list.querySelector(".md-search-result__item")) {
      window.__firstResults = performance.now() - start
      observer.disconnect()
    }
  }).observe(list, { childList: true, subtree: true })
}"""
FIRST_KEY = {"fr": "c", "en": "l"}  # "couche", "layer": results on the first keystroke


def first_results_ms(browser, url: str, language: str, preload: bool = False) -> float:
    """Milliseconds from the first keystroke to the first results, the reader typing at once
    after clicking the field. `preload`: search loaded beforehand, as an idle-time preload would."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        if preload:
            page.evaluate("() => new BroadcastChannel('search:load').postMessage('load')")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
        page.evaluate(FIRST_RESULTS_JS)
        field = page.locator("input.md-search__input")
        field.click()
        field.press_sequentially(FIRST_KEY[language])
        page.wait_for_function("() => window.__firstResults !== undefined", timeout=15_000)
        return page.evaluate("() => window.__firstResults")
    finally:
        context.close()


def search_before_focus(browser, url: str) -> int:
    """Decoded bytes of search files a page loads before the reader touches search."""
    return page_weight(browser, url).search


@dataclass
class SearchRun:
    latency: dict[str, dict[str, list[float]]]  # mode -> language -> ms per round
    before_focus: dict[str, tuple[int, int]]  # home page -> (1x, scaled) decoded bytes
    scale: int | None


def measure_search(site_url: str, bare_site_url: str, dev_url: str, scaled_url: str | None,
                   scale: int | None) -> SearchRun:
    from playwright.sync_api import sync_playwright

    latency: dict[str, dict[str, list[float]]] = {"site, on focus": {}, "site, preloaded (idle)": {},
                                                   "bare Material": {}}
    before = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for language in LANGUAGES:
                home = "" if language == LANGUAGES[0] else f"{language}/"
                for mode in latency:
                    latency[mode][language] = []
                for _ in range(SEARCH_ROUNDS):  # interleaved: noise hits every mode alike
                    latency["site, on focus"][language].append(first_results_ms(browser, site_url + home, language))
                    latency["site, preloaded (idle)"][language].append(
                        first_results_ms(browser, site_url + home, language, preload=True))
                    latency["bare Material"][language].append(
                        first_results_ms(browser, bare_site_url + bare_url(home), language))
                if scaled_url:
                    before[f"/{home}"] = (search_before_focus(browser, dev_url + home),
                                          search_before_focus(browser, scaled_url + home))
        finally:
            browser.close()
    return SearchRun(latency, before, scale)


def report_search(report: Report, run: SearchRun) -> None:
    rows = []
    for mode, by_language in run.latency.items():
        for language, values in by_language.items():
            median = statistics.median(values)
            budgeted = mode == "site, on focus"
            ok = report.check(median <= SEARCH_FIRST_RESULTS_MAX_MS if budgeted else None,
                              f"search ({language}): first results {median:.0f} ms after the first keystroke")
            rows.append([mode, language, f"{median:.0f} ms", ", ".join(f"{value:.0f}" for value in values),
                         f"≤ {SEARCH_FIRST_RESULTS_MAX_MS} ms" if budgeted else "—", ok])
    report.table(f"Search: first keystroke to first results (hosted build, Chromium, median of {SEARCH_ROUNDS})",
                 ["search", "language", "median", "each round", "budget", "met"], rows,
                 ["The reader clicks the search field and types at once. On focus: what the site does (lunr, "
                  "the stemmer and the language's index load when the field is focused). Preloaded: the same "
                  "site with search loaded right after the page, as loading it when the browser is idle would; "
                  "every reader would then download the index. Bare Material loads everything with the page."])
    if run.before_focus:
        rows = []
        for page, (small, big) in run.before_focus.items():
            ok = report.check(big <= small, f"{page}: search bytes before focus grow with the pages "
                                            f"({kilobytes(small)} -> {kilobytes(big)})")
            rows.append([page, kilobytes(small), kilobytes(big), f"≤ {kilobytes(small)}", ok])
        report.table(f"Search bytes before the reader focuses search (decoded; strict builds, 1{TIMES} and "
                     f"{run.scale}{TIMES} the pages)",
                     ["page", f"1{TIMES}", f"{run.scale}{TIMES}", "budget", "met"], rows)


def lighthouse(url: str, out: Path, mobile: bool = False) -> dict:
    """Desktop preset, every budgeted category; or Lighthouse's default (mobile) preset,
    performance only: a mid-range phone, slow 4G and a 4x slower CPU, simulated."""
    categories = ["performance"] if mobile else list(LIGHTHOUSE_MIN_SCORES)
    command = [
        str(LIGHTHOUSE), url, *([] if mobile else ["--preset=desktop"]), f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(categories)}", "--quiet",
    ]
    with out.with_suffix(".log").open("w") as log:
        subprocess.run(command, env={**ENV, "CHROME_PATH": CHROMIUM}, check=True, timeout=600,
                       stdout=log, stderr=subprocess.STDOUT)
    return json.loads(out.read_text(encoding="utf-8"))


def scores(result: dict) -> dict[str, int | None]:
    return {name: None if category["score"] is None else round(category["score"] * 100)
            for name, category in result["categories"].items()}


def failing_audits(result: dict, budgets: dict[str, int] = LIGHTHOUSE_MIN_SCORES) -> list[str]:
    """Audits failed by Lighthouse's own rule (score < 0.9) that matter here.

    That is the audits which weigh in their category's score, plus, in a
    category under budget, the weightless insights that explain why.
    Performance insights on a page scoring 100 are not worth anyone's time.
    """
    failures = []
    for name, category in result["categories"].items():
        under_budget = category["score"] is None or category["score"] * 100 < budgets[name]
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if is_failed(audit) and (ref["weight"] > 0 or under_budget):
                failures.append(describe_audit(ref["id"], audit))
    return sorted(set(failures))


def weightless_insights(result: dict) -> list[str]:
    """Failed performance audits that do not count in the score: for information."""
    return [ref["id"] for ref in result["categories"]["performance"]["auditRefs"]
            if ref["weight"] == 0 and is_failed(result["audits"][ref["id"]])]


def is_failed(audit: dict) -> bool:
    """Lighthouse's own rule: a scored audit under 0.9."""
    scored = audit["scoreDisplayMode"] not in {"informative", "notApplicable", "manual", "error"}
    return scored and audit["score"] is not None and audit["score"] < 0.9


def insights_note(results: dict) -> list[str]:
    """One line per weightless insight, with the pages it shows on."""
    pages_by_insight: dict[str, list[str]] = {}
    for page, (real, _) in results.items():
        for insight in weightless_insights(real):
            pages_by_insight.setdefault(insight, []).append(f"/{page}")
    lines = []
    for insight, pages in sorted(pages_by_insight.items()):
        where = "every page" if len(pages) == len(results) else ", ".join(pages)
        lines.append(f"- `{insight}`: {where}")
    return lines


def describe_audit(audit_id: str, audit: dict, shown: int = 2) -> str:
    """`id`: display value — the first elements or URLs it points at."""
    detail = audit.get("displayValue") or ""
    items = (audit.get("details") or {}).get("items") or []
    targets = [item["node"].get("selector", "") for item in items if isinstance(item.get("node"), dict)]
    targets += [urllib.parse.urlsplit(item["url"]).path or item["url"][:40]
                for item in items if isinstance(item.get("url"), str)]
    if targets:
        detail += (" — " if detail else "") + ", ".join(f"`{target}`" for target in targets[:shown])
        detail += f" (+{len(targets) - shown})" if len(targets) > shown else ""
    return f"`{audit_id}`" + (f": {detail}" if detail else "")


def run_lighthouse(site_url: str, bare_site_url: str | None, pages: list[str], out: Path) -> dict:
    """Per page: (site result, bare result or None). Sequential: parallel runs skew performance."""
    results = {}
    for number, page in enumerate(pages):
        real = lighthouse(site_url + page, out / f"site-{number}.json")
        bare = lighthouse(bare_site_url + bare_url(page), out / f"bare-{number}.json") if bare_site_url else None
        results[page] = (real, bare)
        print(f"  lighthouse {number + 1}/{len(pages)}: /{page}", file=sys.stderr, flush=True)
    return results


def report_lighthouse(report: Report, results: dict) -> None:
    rows, notes = [], []
    for page, (real, bare) in results.items():
        real_scores, bare_scores = scores(real), scores(bare) if bare else {}
        cells = []
        ok = True
        for name, minimum in LIGHTHOUSE_MIN_SCORES.items():
            value = real_scores.get(name)
            ok = ok and value is not None and value >= minimum
            cells.append(f"{value}" + (f" ({bare_scores.get(name)})" if bare else ""))
        rows.append([f"/{page}", *cells, report.check(ok, f"/{page}: Lighthouse {real_scores}")])
        failures = failing_audits(real)
        if real.get("runtimeError"):
            failures.insert(0, f"Lighthouse error {real['runtimeError'].get('code')}")
        if failures:
            notes.append(f"- `/{page}`: " + "; ".join(failures))
            if bare:
                bare_ids = sorted({failure.split(":")[0] for failure in failing_audits(bare)})
                notes.append("  - bare Material fails: " + (", ".join(bare_ids) or "nothing"))
    budget = ", ".join(f"{name} ≥ {minimum}" for name, minimum in LIGHTHOUSE_MIN_SCORES.items())
    headers = ["page", *(f"{name} (bare)" if any(bare for _, bare in results.values()) else name
                         for name in LIGHTHOUSE_MIN_SCORES), "met"]
    version_ = next(iter(results.values()))[0]["lighthouseVersion"]
    report.table(f"Lighthouse {version_} (desktop preset, hosted build on loopback)", headers, rows,
                 [f"Budget: {budget}. Failing audits that weigh in a score (score < 0.9), per page:", "",
                  *(notes or ["- none"]), "",
                  "Performance insights flagged without weight in the score (for information):", "",
                  *(insights_note(results) or ["- none"])])


# --- Lighthouse, mobile preset --------------------------------------------------------


@dataclass
class MobileRun:
    score: float  # performance, 0-1
    tbt: float  # total blocking time, ms
    cls: float
    style_layout: float  # main-thread "Style & Layout", ms
    bundle: float  # CPU time in Material's bundle, ms


def mobile_figures(result: dict) -> MobileRun:
    audits = result["audits"]
    groups = {item["group"]: item["duration"] for item in audits["mainthread-work-breakdown"]["details"]["items"]}
    bundle = sum(item["total"] for item in audits["bootup-time"]["details"]["items"]
                 if re.search(r"/bundle\.[0-9a-f]+\.min\.js", item["url"]))
    return MobileRun(result["categories"]["performance"]["score"], audits["total-blocking-time"]["numericValue"],
                     audits["cumulative-layout-shift"]["numericValue"], groups.get("styleLayout", 0.0), bundle)


def run_mobile_lighthouse(site_url: str, bare_site_url: str, pages: list[str], out: Path,
                          runs: int) -> dict[str, tuple[list[MobileRun], list[MobileRun]]]:
    """Per page: (site runs, bare runs), interleaved so that noise hits both alike."""
    results = {}
    for number, page in enumerate(pages):
        real, bare = [], []
        for round_ in range(runs):
            real.append(mobile_figures(lighthouse(site_url + page, out / f"mobile-site-{number}-{round_}.json", True)))
            bare.append(mobile_figures(lighthouse(bare_site_url + bare_url(page),
                                                  out / f"mobile-bare-{number}-{round_}.json", True)))
        results[page] = (real, bare)
        print(f"  lighthouse mobile {number + 1}/{len(pages)}: /{page}", file=sys.stderr, flush=True)
    return results


def median_of(runs: list[MobileRun], name: str) -> float:
    return statistics.median(getattr(run, name) for run in runs)


def report_mobile(report: Report, desktop: dict, mobile: dict, runs: int) -> None:
    """Desktop and mobile side by side, site (stock Material)."""
    rows = []
    for page, (real, bare) in mobile.items():
        score, bare_score = median_of(real, "score"), median_of(bare, "score")
        tbt, bare_tbt = median_of(real, "tbt"), median_of(bare, "tbt")
        cls = median_of(real, "cls")
        tbt_max = MOBILE_TBT_MAX_RATIO * bare_tbt + MOBILE_TBT_SLACK_MS
        ok = (score >= bare_score - MOBILE_PERFORMANCE_SLACK - 1e-9 and tbt <= tbt_max and cls <= MOBILE_CLS_MAX)
        mark = report.check(ok, f"/{page} mobile: performance {score:.2f} (stock {bare_score:.2f}), "
                                f"TBT {tbt:.0f} ms (max {tbt_max:.0f}), CLS {cls:.3f}")
        desk = scores(desktop[page][0]) if page in desktop else {}
        rows.append([f"/{page}", " / ".join(str(desk.get(name, "—")) for name in LIGHTHOUSE_MIN_SCORES),
                     f"{score * 100:.0f} ({bare_score * 100:.0f})", f"{tbt:.0f} ({bare_tbt:.0f}) ms",
                     f"≤ {tbt_max:.0f} ms", f"{cls:.3f}",
                     f"{median_of(real, 'style_layout'):.0f} ({median_of(bare, 'style_layout'):.0f}) ms",
                     f"{median_of(real, 'bundle'):.0f} ({median_of(bare, 'bundle'):.0f}) ms", mark])
    report.table(f"Lighthouse, desktop and mobile side by side (site; stock Material in brackets; mobile: median "
                 f"of {runs})",
                 ["page", "desktop: perf / a11y / best pr. / SEO", "mobile performance", "mobile TBT", "TBT budget",
                  "mobile CLS", "style & layout", "CPU in Material's bundle", "met"], rows,
                 [f"Mobile budgets: performance ≥ stock's - {MOBILE_PERFORMANCE_SLACK:g}, total blocking time ≤ "
                  f"{MOBILE_TBT_MAX_RATIO:g}{TIMES} stock's + {MOBILE_TBT_SLACK_MS} ms, cumulative layout shift ≤ "
                  f"{MOBILE_CLS_MAX:g}. Desktop budgets: the table above. Style & layout and bundle CPU time "
                  "come from Lighthouse's mainthread-work-breakdown and bootup-time audits (simulated 4x "
                  "slower CPU)."])


# --- Main -----------------------------------------------------------------------


def build_hosted_site(repo: Path, site: Path, logs: Path, publish: bool) -> str:
    """The site as published; returns how it was built, for the report."""
    if publish:
        try:
            run([sys.executable, "-m", "scripts.publish", "--site-dir", str(site)], repo, logs / "publish.log")
            return "`python -m scripts.publish` (claims run, offline archive included)"
        except RuntimeError as error:
            print(f"scripts.publish failed, falling back to mkdocs build:\n{error}", file=sys.stderr)
    mkdocs_build(repo, site, logs / "hosted.log")
    return "`mkdocs build --strict` (claims not run)"


def header(quick: bool) -> str:
    today = datetime.date.today().isoformat()
    return (f"## Benchmark, {today}, {os.cpu_count()} cores{' (--quick)' if quick else ''}\n\n"
            f"mkdocs {version('mkdocs')}, mkdocs-material {version('mkdocs-material')}, "
            f"Python {sys.version.split()[0]}.\n")


# --quick measures these pages only on the mobile preset, one run each.
QUICK_MOBILE_PAGES = ["", "en/custom-vs-lambda/", "en/dense-relu-from-scratch/", "en/what-we-checked/"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip notebook execution, the full (browser) test suite, the publishing "
                             "build (plain strict build instead) and desktop Lighthouse on the bare site; "
                             "mobile Lighthouse on a few pages, one run each")
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE,
                        help=f"also time warm builds with the site grown to this many times its pages "
                             f"(copies of the articles; default {DEFAULT_SCALE}; 1: skip)")
    parser.add_argument("--only", choices=["builds", "pages"],
                        help="only the builds (warm and scaled), or only the page measurements")
    parser.add_argument("--mobile-runs", type=int, default=MOBILE_RUNS,
                        help=f"Lighthouse mobile runs per page and site (default {MOBILE_RUNS}; the median counts)")
    parser.add_argument("--keep", type=Path, help="keep the work folder (copies, builds, logs) here")
    parser.add_argument("--ci-run", action="store_true",
                        help="also time `bash .ci/run` in a fresh clone of HEAD, installs included (about 10 min)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `npm ci`.", file=sys.stderr)
        return 2

    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        print(f"--keep {args.keep}: choose a new or empty folder.", file=sys.stderr)
        return 2
    report = Report()
    print(header(args.quick), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        logs = work / "logs"
        logs.mkdir(exist_ok=True)
        print(f"Work folder: {work} (logs in logs/).\n", file=sys.stderr, flush=True)
        repo = copy_repo(work / "repo")
        bare = make_bare_site(work / "bare")

        real_builds = time_real_builds(repo, work / "site-dev", logs,
                                       execute_notebooks=not args.quick and args.only != "pages")
        bare_builds = time_bare_builds(bare, work / "bare-site", logs)
        scaled = time_scaled_builds(work, args.scale, logs) if args.scale > 1 else None
        if args.only != "pages":
            report_builds(report, real_builds, bare_builds, scaled)

        if args.only is None:
            report_reload(report,
                          reload_times(repo, repo / "docs" / LANGUAGES[0] / f"{RELOAD_PAGE}.md", f"{RELOAD_PAGE}/",
                                       logs / "serve-site.log"),
                          reload_times(bare, bare / "docs" / LANGUAGES[0] / f"{RELOAD_PAGE}.md",
                                       f"{LANGUAGES[0]}/{RELOAD_PAGE}/", logs / "serve-bare.log"))
            fast = time_matrix(repo, logs)
            full = None if args.quick else time_suite(repo, logs / "pytest-full.log")
            report_suites(report, fast, full)
            if args.ci_run:
                report_ci_run(report, time_ci_run(work / "ci-clone", logs / "ci-run.log"))

        if args.only != "builds":
            how = build_hosted_site(repo, work / "site", logs, publish=not args.quick)
            print(f"Hosted site for the page measurements: {how}.\n", flush=True)
            measure_pages(report, work, site_pages(work / "site"), scaled, args.quick, args.mobile_runs)

    if report.missed:
        print("Budgets missed:\n" + "\n".join(f"- {what}" for what in report.missed))
        return 1
    print("All budgets met.")
    return 0


def measure_pages(report: Report, work: Path, pages: list[str], scaled: ScaledBuilds | None, quick: bool,
                  mobile_runs: int) -> None:
    """Page weight, search, Lighthouse desktop and mobile: the hosted build against the bare one."""
    scaled_site = work / f"site-x{scaled.scale}" if scaled else work / "site-dev"
    with static_server(work / "site") as site_url, static_server(work / "bare-site") as bare_url_, \
            static_server(work / "site-dev") as dev_url, static_server(scaled_site) as scaled_url:
        report_weights(report, measure_weights(site_url, bare_url_, pages))
        report_search(report, measure_search(site_url, bare_url_, dev_url, scaled_url if scaled else None,
                                             scaled.scale if scaled else None))
        lighthouse_dir = work / "lighthouse"
        lighthouse_dir.mkdir(exist_ok=True)
        desktop = run_lighthouse(site_url, None if quick else bare_url_, pages, lighthouse_dir)
        report_lighthouse(report, desktop)
        mobile_pages = QUICK_MOBILE_PAGES if quick else pages
        runs = 1 if quick else mobile_runs
        report_mobile(report, desktop, run_mobile_lighthouse(site_url, bare_url_, mobile_pages, lighthouse_dir, runs),
                      runs)


if __name__ == "__main__":
    sys.exit(main())
