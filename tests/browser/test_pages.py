"""Every page of both builds, in both languages, checked in Chromium.

Each page is opened once per build (fixture `reports`); each test then
checks one property on all pages and lists every page + problem it finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.browser.site_model import (
    COPY_BUTTON,
    LANGUAGES,
    RENDER_EVERY_BLOCK_CSS,
    SCROLL_THROUGH_CODE_JS,
    Site,
    Visit,
    counterpart,
    language_of,
    link_problem,
    page_in,
)

pytestmark = pytest.mark.browser

# Everything the checks below need from the rendered DOM, read in one go.
SNAPSHOT_JS = """() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.href]),
  images: [...document.images].map(img => ({
    src: img.getAttribute('src').slice(0, 80), width: img.naturalWidth})),
  languages: [...document.querySelectorAll('.md-select a[hreflang]')].map(a => [a.hreflang, a.href]),
  alternates: [...document.querySelectorAll('link[rel=alternate][hreflang]')].map(l => l.href),
  // The blocks shown: one in a tab not selected or a box not open gets its button once shown (test_features.py).
  codeBlocks: [...document.querySelectorAll('.md-content pre > code')].filter(code => code.checkVisibility()).length,
  copyButtons: document.querySelectorAll('.md-content pre:has(> code) COPY_BUTTON').length,
})""".replace("COPY_BUTTON", COPY_BUTTON)

# Lazy images load only near the viewport: load them all, then wait for each.
LOAD_IMAGES_JS = """() => Promise.all([...document.images].map(img => {
  img.loading = 'eager';
  return img.complete ? null : new Promise(done => {
    img.addEventListener('load', done); img.addEventListener('error', done);
  });
}))"""

SEVERE = ("serious", "critical")


@dataclass
class Report:
    visit: Visit
    links: list[tuple[str, str]] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    code_blocks: int = 0
    copy_buttons: int = 0
    axe: list[str] = field(default_factory=list)


def _axe_violations(tab, rules: list[str] | None = None, prefix: str = "") -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = Axe().run(tab, options=options).response
    return [
        f"{prefix}{violation['id']} ({violation['impact']}): "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in SEVERE
    ]


def _dark_scheme_violations(tab) -> list[str]:
    """Switch to the dark palette with the header's toggle, then check the colors again."""
    dark = tab.evaluate(
        "() => document.querySelector('input.md-option[data-md-color-scheme=slate]')?.id")
    if dark is None:
        return ["no dark palette toggle in the header"]
    tab.click(f"label[for={dark}]")
    tab.wait_for_selector("body[data-md-color-scheme=slate]", state="attached")
    # The click left the pointer on the toggle, whose tooltip (content.tooltips)
    # would be judged half faded in: move away and let it go. A tooltip just
    # activated still has opacity 0 as it starts fading in: wait until none is active.
    tab.mouse.move(0, 0)
    tab.wait_for_function("""() => [...document.querySelectorAll('.md-tooltip, .md-tooltip2')]
        .every(tip => !/--active\\b/.test(tip.className)
          && (getComputedStyle(tip).opacity === "0" || getComputedStyle(tip).visibility === "hidden"))""")
    return _axe_violations(tab, ["color-contrast", "link-in-text-block"], "dark scheme: ")


@pytest.fixture(scope="session")
def reports(site: Site, open_page) -> dict[str, Report]:
    """Open every page of the build once and record what the tests check."""
    reports = {}
    for page in site.pages():
        try:
            reports[page] = _report(site, page, open_page)
        except Exception as error:  # Name the page: the traceback would not.
            pytest.fail(f"{site.url(page)}: {error}", pytrace=False)
    return reports


def _report(site: Site, page: str, open_page) -> Report:
    with open_page(site, page) as (tab, visit):
        tab.evaluate(LOAD_IMAGES_JS)
        tab.evaluate(SCROLL_THROUGH_CODE_JS)
        snapshot = tab.evaluate(SNAPSHOT_JS)
        # axe-core itself re-fetches the stylesheets, which file:// refuses
        # (CORS errors in the console): judge the page before axe runs.
        before_axe = visit.copy()
        tab.add_style_tag(content=RENDER_EVERY_BLOCK_CSS)
        return Report(
            visit=before_axe,
            links=snapshot["links"],
            images=snapshot["images"],
            languages=snapshot["languages"],
            alternates=snapshot["alternates"],
            code_blocks=snapshot["codeBlocks"],
            copy_buttons=snapshot["copyButtons"],
            # Same stylesheets in both builds: the dark palette is checked once.
            axe=_axe_violations(tab) + (_dark_scheme_violations(tab) if site.hosted else []),
        )


def _failures(site: Site, problems: dict[str, list[str]], what: str) -> str:
    lines = [f"{site.name} build: {what}"]
    for page, items in problems.items():
        lines.append(f"  {site.url(page)}")
        lines.extend(f"    - {item}" for item in items)
    return "\n".join(lines)


def _check(site: Site, reports: dict[str, Report], what: str, problems_of) -> None:
    problems = {page: found for page, report in reports.items()
                if (found := problems_of(page, report))}
    assert not problems, _failures(site, problems, what)


def test_every_page_is_built_in_both_languages(site, reports):
    pages = set(reports)
    articles = {page for page in pages if page != "404.html"}
    assert {language_of(page) for page in articles} == set(LANGUAGES)
    missing = sorted(counterpart(page) for page in articles if counterpart(page) not in pages)
    assert not missing, f"{site.name} build: pages missing their translation: {missing}"
    home = "index.html"
    assert home in pages and counterpart(home) in pages


def test_no_request_leaves_the_site(site, reports):
    _check(site, reports, "requests outside the site (aborted)",
           lambda page, report: report.visit.outside_requests)


def test_every_request_to_the_site_succeeds(site, reports):
    _check(site, reports, "failed requests", lambda page, report: report.visit.failed_requests)


def test_no_console_error(site, reports):
    _check(site, reports, "console errors / uncaught exceptions",
           lambda page, report: report.visit.console_errors)


def test_internal_links_and_anchors_resolve(site, reports):
    def problems_of(page, report):
        found = (link_problem(site, href, url) for href, url in report.links)
        return sorted({problem for problem in found if problem})

    _check(site, reports, "broken internal links", problems_of)


def test_no_serious_accessibility_violation(site, reports):
    _check(site, reports, "axe-core violations (impact serious/critical)",
           lambda page, report: report.axe)


def test_images_load(site, reports):
    _check(site, reports, "images that did not load (naturalWidth 0)",
           lambda page, report: [image["src"] for image in report.images if not image["width"]])


def test_lesson_diagram_loads(site, reports):
    for language in LANGUAGES:
        page = site.page_named("dense-relu-from-scratch", language)
        diagrams = [image for image in reports[page].images
                    if image["src"].endswith("assets/layer-lifecycle.svg")]
        assert diagrams, f"{site.url(page)}: no layer-lifecycle.svg image"
        assert all(image["width"] for image in diagrams), f"{site.url(page)}: {diagrams}"


def test_code_blocks_have_a_copy_button(site, reports):
    def problems_of(page, report):
        if report.copy_buttons < report.code_blocks:
            return [f"{report.copy_buttons} copy buttons for {report.code_blocks} code blocks"]
        return []

    _check(site, reports, "code blocks without Material's copy button", problems_of)
    articles = [page for page in reports if "build-and-call" in page or "custom-vs-lambda" in page]
    assert articles and all(reports[page].copy_buttons for page in articles), (
        f"{site.name} build: article pages without any copy button: "
        f"{[page for page in articles if not reports[page].copy_buttons]}")


def test_language_selector_links_to_the_counterpart(site, reports):
    def problems_of(page, report):
        links = dict(report.languages)
        if sorted(links) != sorted(LANGUAGES) or len(report.languages) != len(LANGUAGES):
            return [f"language selector offers {report.languages}"]
        problems = []
        for language, url in links.items():
            if page == "404.html":
                expected = page_in("index.html", language)  # No 404 page per language.
            else:
                expected = page_in(page, language)
            if site.page_of(url) != expected:
                problems.append(f"{language} -> {url}, expected {site.url(expected)}")
        return problems

    _check(site, reports, "language selector links", problems_of)


def test_no_alternate_link_makes_material_fetch_a_sitemap(site, reports):
    # Material fetches `sitemap.xml` under each <link rel=alternate hreflang>:
    # file:// refuses it, and a hosted page URL has no sitemap (404).
    _check(site, reports, "<link rel=alternate hreflang> left in <head>",
           lambda page, report: report.alternates)
