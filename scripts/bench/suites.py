"""Test suite times: the non-browser suite under each column of the matrix, the full suite, `.ci/run`."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.bench.report import Report, seconds
from scripts.bench.settings import CI_RUN_MAX_SECONDS, ENV, FAST_SUITE_MAX_SECONDS
from scripts.docs_checks import ROOT
from scripts.matrix import GENERATIONS


@dataclass
class SuiteRun:
    seconds: float
    passed: bool
    summary: str


# pytest's closing line ("264 passed, 25 warnings in 83.52s"); TensorFlow may log after it.
SUMMARY_RE = re.compile(r"\d+ (passed|failed|error)|no tests ran")


def last_summary(log: Path) -> str:
    lines = [line.strip("= ") for line in log.read_text(errors="replace").splitlines() if line.strip()]
    summaries = [line for line in lines if SUMMARY_RE.search(line)]
    return (summaries or lines or ["no output"])[-1]


def time_suite(repo: Path, log: Path, *arguments: str, env: dict | None = None) -> SuiteRun:
    command = [sys.executable, "-m", "pytest", *arguments, "-p", "no:cacheprovider", "-q"]
    start = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(command, cwd=repo, env={**ENV, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
                                check=False)
    elapsed = time.perf_counter() - start
    return SuiteRun(elapsed, result.returncode == 0, last_summary(log))


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
    return SuiteRun(elapsed, result.returncode == 0, last_summary(log))


def report_ci_run(report: Report, run_: SuiteRun) -> None:
    ok = report.check(run_.seconds <= CI_RUN_MAX_SECONDS, f"`.ci/run` from a fresh clone {run_.seconds:.0f} s")
    report.check(run_.passed, f"`.ci/run` failed: {run_.summary}")
    report.table("`.ci/run` from a fresh clone of HEAD", ["run", "wall time", "last line", "budget", "met"],
                 [["`bash .ci/run` (installs included)", seconds(run_.seconds), run_.summary,
                   f"≤ {CI_RUN_MAX_SECONDS / 60:g} min", ok]],
                 ["pip and npm may reuse this machine's download caches; Chromium is already installed."])

