"""Search on demand: first keystroke to first results, and the search bytes a page loads before focus."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from scripts.bench.pages import page_weight
from scripts.bench.projects import bare_url
from scripts.bench.report import TIMES, Report, kilobytes
from scripts.bench.settings import CHROMIUM, CHROMIUM_ARGS, SEARCH_FIRST_RESULTS_MAX_MS, SEARCH_ROUNDS
from scripts.docs_checks import LANGUAGES

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


# How the site's search can be when the reader clicks (the budget is on the first).
SITE_MODES = {
    # What a reader who opens search after the page settled gets: Material's worker and the
    # stemmers were prepared when the browser was idle, the index loads on focus.
    "site: prepared when idle, index on focus": "prepared",
    # A reader quicker than the idle callback: everything loads on focus.
    "site: nothing prepared, all on focus": "unprepared",
    # As if the index loaded when idle too (every reader would download it): for comparison.
    "site: index preloaded too (not shipped)": "preloaded",
}
BARE_MODE = "bare Material (loads it all with the page)"
# Keeps the site's idle callback from ever running: "unprepared" above.
NO_IDLE_JS = "window.requestIdleCallback = () => 0"


def first_results_ms(browser, url: str, language: str, mode: str = "prepared") -> float:
    """Milliseconds from the first keystroke to the first results, the reader typing at once
    after clicking the field, with search in the state `mode` says (SITE_MODES)."""
    context = browser.new_context()
    try:
        if mode == "unprepared":
            context.add_init_script(NO_IDLE_JS)
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        if mode == "preloaded":
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

    latency: dict[str, dict[str, list[float]]] = {mode: {} for mode in [*SITE_MODES, BARE_MODE]}
    before = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for language in LANGUAGES:
                home = "" if language == LANGUAGES[0] else f"{language}/"
                for mode in latency:
                    latency[mode][language] = []
                for _ in range(SEARCH_ROUNDS):  # interleaved: noise hits every mode alike
                    for label, mode in SITE_MODES.items():
                        latency[label][language].append(first_results_ms(browser, site_url + home, language, mode))
                    latency[BARE_MODE][language].append(first_results_ms(browser, bare_site_url + bare_url(home),
                                                                         language))
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
            budgeted = mode == next(iter(SITE_MODES))
            ok = report.check(median <= SEARCH_FIRST_RESULTS_MAX_MS if budgeted else None,
                              f"search ({language}): first results {median:.0f} ms after the first keystroke")
            rows.append([mode, language, f"{median:.0f} ms", ", ".join(f"{value:.0f}" for value in values),
                         f"≤ {SEARCH_FIRST_RESULTS_MAX_MS} ms" if budgeted else "—", ok])
    report.table(f"Search: first keystroke to first results (hosted build, Chromium, median of {SEARCH_ROUNDS})",
                 ["search", "language", "median", "each round", "budget", "met"], rows,
                 ["The reader clicks the search field and types at once, once the page has loaded and the "
                  "network is idle. The site loads search in two steps (scripts/hooks/search_worker.js): "
                  "Material's worker, lunr and the stemmers when the browser is idle after the page loaded "
                  "(their size does not grow with the site), the language's index when the reader is about "
                  "to search. Nothing prepared: the same, with the idle step kept from running. Index "
                  "preloaded: as if the index also loaded when idle, which would make every reader "
                  "download it. Bare Material loads everything with the page."])
    if run.before_focus:
        rows = []
        for page, (small, big) in run.before_focus.items():
            ok = report.check(big <= small, f"{page}: search bytes before focus grow with the pages "
                                            f"({kilobytes(small)} -> {kilobytes(big)})")
            rows.append([page, kilobytes(small), kilobytes(big), f"≤ {kilobytes(small)}", ok])
        report.table(f"Search bytes before the reader focuses search (decoded; strict builds, 1{TIMES} and "
                     f"{run.scale}{TIMES} the pages)",
                     ["page", f"1{TIMES}", f"{run.scale}{TIMES}", "budget", "met"], rows)

