"""Benchmark the site against a bare Material site built from the same pages.

    .venv/bin/python -m scripts.bench           # everything (about 50 minutes on 2 cores)
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
import os
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from scripts.bench.builds import (
    ScaledBuilds,
    reload_times,
    report_builds,
    report_reload,
    time_bare_builds,
    time_real_builds,
    time_scaled_builds,
)
from scripts.bench.lighthouse import report_lighthouse, report_mobile, run_lighthouse, run_mobile_lighthouse
from scripts.bench.pages import measure_weights, report_weights, site_pages, static_server
from scripts.bench.projects import copy_repo, make_bare_site, mkdocs_build, run
from scripts.bench.report import Report
from scripts.bench.search import measure_search, report_search
from scripts.bench.settings import DEFAULT_SCALE, LIGHTHOUSE, MOBILE_RUNS, RELOAD_PAGE
from scripts.bench.suites import report_ci_run, report_suites, time_ci_run, time_matrix, time_suite
from scripts.docs_checks import LANGUAGES, ROOT


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
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip notebook execution, the full (browser) test suite, the publishing "
                             "build (plain strict build instead) and desktop Lighthouse on the bare site; "
                             "mobile Lighthouse on a few pages, one run each")
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE,
                        help=f"also time warm builds with the site grown to this many times its pages "
                             f"(copies of the articles; default {DEFAULT_SCALE}; 1: skip)")
    parser.add_argument("--only", choices=["builds", "pages"],
                        help="only the builds (warm and scaled) and edit-to-reload, or only the page measurements")
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
            report_reload(report,
                          reload_times(repo, repo / "docs" / LANGUAGES[0] / f"{RELOAD_PAGE}.md", f"{RELOAD_PAGE}/",
                                       logs / "serve-site.log"),
                          reload_times(bare, bare / "docs" / LANGUAGES[0] / f"{RELOAD_PAGE}.md",
                                       f"{LANGUAGES[0]}/{RELOAD_PAGE}/", logs / "serve-bare.log"))

        if args.only is None:
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

