"""Lighthouse, desktop and mobile presets, the site against stock Material's same page."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from scripts.bench.projects import bare_url
from scripts.bench.report import TIMES, Report
from scripts.bench.settings import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ENV,
    LIGHTHOUSE,
    LIGHTHOUSE_MIN_SCORES,
    MOBILE_CLS_MAX,
    MOBILE_PERFORMANCE_SLACK,
    MOBILE_TBT_MAX_RATIO,
    MOBILE_TBT_SLACK_MS,
)


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

