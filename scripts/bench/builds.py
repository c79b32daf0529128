"""Build times (cold, warm, grown) and edit-to-reload under `mkdocs serve`, site against bare Material."""

from __future__ import annotations

import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scripts.bench.projects import copy_repo, make_bare_site, mkdocs_build, run, scale_pages
from scripts.bench.report import TIMES, Report, ratio, seconds, times
from scripts.bench.settings import (
    ENV,
    RELOAD_MAX_SECONDS,
    RELOAD_PAGE,
    RELOAD_ROUNDS,
    WARM_BUILD_MAX_RATIO,
    WARM_BUILDS,
)
from scripts.docs_checks import LANGUAGES


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

