"""A 360 x 800 phone (touch, device pixel ratio 2), in both languages: nothing
scrolls sideways, no table is wider than the screen, and search, the language
switch and the theme switch work by touch. Code blocks carry only the spans
that show; on a desktop, the page keeps its place when its scrollbar appears."""

from __future__ import annotations

import pytest

from scripts.hooks.code_markup import UNSTYLED_TOKEN_CLASSES
from tests.browser.site_model import LANGUAGES, RENDER_EVERY_BLOCK_CSS, Site, language_of

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 800}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
OTHER = {"fr": "en", "en": "fr"}

# What sticks out of the screen: the page itself, then any table or element of
# the content outside a box that scrolls on its own (code blocks do, by design).
WIDTH_JS = """() => {
  const width = document.documentElement.clientWidth
  const out = []
  if (document.documentElement.scrollWidth > width)
    out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px for ${width}`)
  for (const table of document.querySelectorAll(".md-content table")) {
    const box = table.getBoundingClientRect()
    if (box.left < 0 || box.right > width + 0.5 || table.scrollWidth > table.clientWidth + 1)
      out.push(`table "${table.rows[0]?.innerText.slice(0, 40)}" is ${Math.round(box.width)} px wide`)
    for (const cell of table.querySelectorAll("td, th")) {
      const rect = cell.getBoundingClientRect()
      if (rect.width && (rect.left < 0 || rect.right > width + 0.5)) {
        const where = `${Math.round(rect.left)}-${Math.round(rect.right)} px`
        out.push(`cell "${cell.innerText.slice(0, 40)}" is off screen (${where})`)
        break
      }
    }
  }
  return out
}"""


def _clean(visit) -> list[str]:
    return visit.outside_requests + visit.failed_requests + visit.console_errors


def test_no_page_is_wider_than_a_phone(site: Site, open_page):
    problems = {}
    for page in site.pages():
        with open_page(site, page, **PHONE) as (tab, visit):
            found = tab.evaluate(WIDTH_JS) + _clean(visit)
        if found:
            problems[site.url(page)] = found
    assert not problems, f"{site.name} build at 360 px: {problems}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_claims_table_shows_every_column_on_a_phone(site: Site, open_page, language):
    """One card per claim: the claim, its page, both verdicts and the test, each named."""
    with open_page(site, site.page_named("what-we-checked", language), **PHONE) as (tab, visit):
        table = tab.locator(".md-content table").first
        headers = table.evaluate("t => [...t.querySelectorAll('th')].map(th => th.innerText.trim())")
        assert len(headers) >= 5, headers
        cells = table.locator("tbody tr").first.locator("td")
        for index in range(cells.count()):
            cell = cells.nth(index)
            cell.scroll_into_view_if_needed()
            assert cell.is_visible(), f"{visit.url}: column {headers[index]!r} hidden"
            box = cell.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360.5, f"{headers[index]!r}: {box}"
            if index:  # every value says which column it is in
                label = cell.evaluate("td => getComputedStyle(td, '::before').content")
                assert headers[index] in label, f"{visit.url}: column {headers[index]!r} shown as {label}"
        assert not _clean(visit), _clean(visit)


# True once the result list has kept the same items and scroll position for two polls.
SETTLED_RESULTS_JS = """() => {
  const list = document.querySelector(".md-search__scrollwrap")
  const now = `${document.querySelectorAll(".md-search-result__item").length}:${list?.scrollTop}`
  const settled = window.__results === now
  window.__results = now
  return settled
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_language_and_theme_switch_by_touch(site: Site, open_page, language):
    home = site.page_named("index", language)
    with open_page(site, home, **PHONE) as (tab, visit):
        # Theme: the header's toggle, tapped, switches to the other scheme and back.
        body = tab.locator("body")
        before = body.get_attribute("data-md-color-scheme")
        tab.locator("form.md-header__option label:not([hidden])").tap()
        tab.wait_for_function(f"() => document.body.dataset.mdColorScheme !== {before!r}")
        tab.locator("form.md-header__option label:not([hidden])").tap()
        tab.wait_for_function(f"() => document.body.dataset.mdColorScheme === {before!r}")

        # Search: the magnifier opens it; results from the first keystroke; a tap opens one.
        tab.locator("label.md-header__button[for=__search]").tap()
        field = tab.locator("input.md-search__input")
        field.wait_for(state="visible")
        field.press_sequentially({"fr": "couche", "en": "layer"}[language], delay=20)
        result = tab.locator(".md-search-result__item a[href]").first
        result.wait_for(state="visible", timeout=15_000)
        href = result.evaluate("a => a.href")
        assert language_of(site.page_of(href)) == language, href
        # A tap while the result list still grows and scrolls makes Chromium refuse Material's
        # touch handler (a console error): tap once the list has settled, as a reader would.
        tab.wait_for_function(SETTLED_RESULTS_JS, polling=200, timeout=10_000)
        result.tap()
        tab.wait_for_url(lambda url: site.page_of(url) == site.page_of(href), timeout=10_000)

        # Language: the selector, tapped, offers the other language; its link opens it.
        tab.locator(".md-header .md-select button").tap()
        link = tab.locator(f".md-header .md-select a[hreflang={OTHER[language]}]")
        link.wait_for(state="visible")
        link.tap()
        tab.wait_for_load_state("load")
        assert tab.locator("html").get_attribute("lang") == OTHER[language]
        assert not _clean(visit), _clean(visit)


# scripts/hooks/code_markup.py drops the spans of these token kinds. A span of
# each kind must still look like the code around it (a span of no kind).
TOKEN_LOOKS_DIFFERENT_JS = """kinds => {
  const code = document.querySelector(".md-typeset .highlight code")
  const looks = span => {
    code.append(span)
    const style = getComputedStyle(span)
    const seen = ["color", "backgroundColor", "fontWeight", "fontStyle", "textDecorationLine"].map(key => style[key])
    span.remove()
    return seen.join(" | ")
  }
  const plain = looks(document.createElement("span"))
  return kinds.flatMap(kind => {
    const span = document.createElement("span")
    span.className = kind
    const seen = looks(span)
    return seen === plain ? [] : [`${kind}: ${seen} (code: ${plain})`]
  })
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_blocks_keep_only_the_spans_that_show(site: Site, open_page, scheme):
    page = site.page_named("custom-vs-lambda", "en")
    with open_page(site, page, color_scheme=scheme) as (tab, visit):
        shown = tab.evaluate("() => document.body.dataset.mdColorScheme")
        assert shown == {"light": "default", "dark": "slate"}[scheme], shown
        dropped = ", ".join(f".highlight code span.{kind}" for kind in UNSTYLED_TOKEN_CLASSES)
        assert tab.locator(dropped).count() == 0, "spans that change nothing are back"
        assert tab.locator(".highlight code span").count() > 500, "the code lost its highlighting"
        different = tab.evaluate(TOKEN_LOOKS_DIFFERENT_JS, list(UNSTYLED_TOKEN_CLASSES))
        assert not different, f"Material styles these tokens now: keep their spans ({different})"
        assert not _clean(visit), _clean(visit)


# Where the page's content starts, and the room the vertical scrollbar takes.
LAYOUT_JS = """() => [document.querySelector(".md-main__inner").getBoundingClientRect().left,
                      innerWidth - document.documentElement.clientWidth]"""


def test_the_page_keeps_its_place_when_the_scrollbar_appears(browser, site: Site):
    """A desktop with classic scrollbars (Playwright hides them by default): the content does not
    move sideways between a page shorter than the screen (as while it arrives) and the whole page."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    classic = browser.browser_type.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                          ignore_default_args=["--hide-scrollbars"])
    try:
        tab = classic.new_page(viewport={"width": 1350, "height": 940})
        tab.goto(site.url(site.page_named("build-and-call", "en")))
        left, gutter = tab.evaluate(LAYOUT_JS)
        assert gutter > 0, "no classic scrollbar in this browser: the test cannot see a shift"
        tab.add_style_tag(content=".md-main__inner > * { display: none !important }")
        assert tab.evaluate("() => document.documentElement.scrollHeight <= innerHeight")
        assert tab.evaluate(LAYOUT_JS)[0] == left, "the content moves sideways when the scrollbar comes"
    finally:
        classic.close()


# Per code block of the page: is its code skipped by the browser's rendering for now
# (content-visibility: auto, extra.css's last section), and is it in the page's text?
SKIPPED_CODE_JS = """() => [...document.querySelectorAll('.md-content .highlight > pre > code')]
  .filter(code => code.checkVisibility())
  .map(code => [!code.checkVisibility({ contentVisibilityAuto: true }), code.textContent.length > 0])"""
FRAMES_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.mark.parametrize("language", LANGUAGES)
def test_blocks_off_screen_are_rendered_when_the_reader_reaches_them(site: Site, open_page, language):
    """Code far down the page is not laid out at load, yet is in the page, and shows once scrolled to."""
    with open_page(site, site.page_named("custom-vs-lambda", language), **PHONE) as (tab, visit):
        tab.evaluate(FRAMES_JS)
        blocks = tab.evaluate(SKIPPED_CODE_JS)
        skipped = sum(is_skipped for is_skipped, _ in blocks)
        assert all(has_text for _, has_text in blocks), "a skipped block lost its text"
        assert not blocks[0][0], "the page's first code block, on screen, is not rendered"
        assert skipped >= len(blocks) // 2, f"only {skipped} of {len(blocks)} code blocks wait off screen"
        last = tab.locator(".md-content .highlight > pre > code").last
        last.scroll_into_view_if_needed()
        tab.evaluate(FRAMES_JS)
        assert tab.evaluate(SKIPPED_CODE_JS)[-1] == [False, True], "the last block stays unrendered on screen"
        box = last.bounding_box()
        assert box and box["height"] > 10, f"the last block is on screen but {box} tall"
        assert not _clean(visit), _clean(visit)


# Where a heading lands after a jump to its anchor, then a moment later.
LANDING_JS = """async (id) => {
  const heading = document.getElementById(id)
  const before = heading.getBoundingClientRect().top
  await new Promise(done => setTimeout(done, 600))
  return [before, heading.getBoundingClientRect().top, scrollY]
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_link_to_a_heading_lands_on_it_though_blocks_above_were_never_rendered(site: Site, open_page,
                                                                                   language):
    """The blocks above count at an estimated height until rendered: the jump must land as it
    does with every block rendered, and stay there while the blocks around it render."""
    page = site.page_named("custom-vs-lambda", language)
    landings = {}
    for variant in ("as served", "all rendered"):
        with open_page(site, page, **PHONE) as (tab, _):
            last_heading = tab.evaluate("() => [...document.querySelectorAll('.md-content h2[id]')].at(-1).id")
            if variant == "all rendered":
                tab.add_style_tag(content=RENDER_EVERY_BLOCK_CSS)
            tab.evaluate("(id) => { location.hash = id }", last_heading)
            tab.evaluate(FRAMES_JS)
            landings[variant] = tab.evaluate(LANDING_JS, last_heading)
    served, rendered = landings["as served"], landings["all rendered"]
    assert served[2] > 2000, f"the jump did not scroll far: {landings}"
    assert abs(served[0] - rendered[0]) <= 2, f"the heading lands elsewhere than with every block rendered: {landings}"
    assert abs(served[1] - served[0]) <= 2, f"the heading moves once the blocks around it render: {landings}"


# The site's stylesheet, and the index of its section on blocks off screen: one @supports rule.
OFFSCREEN_SECTION_JS = """
  const siteSheet = [...document.styleSheets].find(sheet => sheet.href?.endsWith("/assets/stylesheets/extra.css"))
  const section = siteSheet ? [...siteSheet.cssRules].findIndex(rule =>
    rule instanceof CSSSupportsRule && rule.conditionText.includes("content-visibility")) : -1
"""

# Every block's place and height with that section, every block rendered, then without it:
# content-visibility's containment must not change the page's layout. A block that holds part of
# the selection is rendered wherever it is (CSS Containment 2, "relevant to the user"): selecting
# the whole page renders every block without a screen as tall as the page.
BLOCKS = (".md-content :is(h2, h3, p, pre, .admonition, details, .highlight, .tabbed-content, tr), "
          ".jp-Cell, .jp-Cell > *")
PLACES_JS = """async (selector) => {
  const frames = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))
  const places = () => [...document.querySelectorAll(selector)].map(block => {
    const box = block.getBoundingClientRect()
    return [Math.round(box.top + scrollY), Math.round(box.height)]
  })
  OFFSCREEN_SECTION
  if (section < 0) return "extra.css, or its @supports (content-visibility) section, is not there"
  getSelection().selectAllChildren(document.body)
  await frames()
  const skipped = [...document.querySelectorAll(selector)]
    .filter(block => block.checkVisibility() && !block.checkVisibility({ contentVisibilityAuto: true }))
  if (skipped.length) return `${skipped.length} blocks stay unrendered though selected`
  const skipping = places()
  siteSheet.deleteRule(section)
  await frames()
  return [skipping, places()]
}""".replace("OFFSCREEN_SECTION", OFFSCREEN_SECTION_JS)


@pytest.mark.parametrize("width", [PHONE["viewport"]["width"], 1280])
def test_skipping_blocks_off_screen_moves_nothing(hosted_site: Site, open_page, width):
    """The hosted build only: the offline one has the same pages and stylesheets."""
    problems = {}
    for page in hosted_site.pages():
        with open_page(hosted_site, page, viewport={"width": width, "height": 800}) as (tab, _):
            tab.evaluate(FRAMES_JS)
            places = tab.evaluate(PLACES_JS, BLOCKS)
        if isinstance(places, str):
            problems[hosted_site.url(page)] = places
            continue
        moved = [(number, with_sheet, without) for number, (with_sheet, without) in enumerate(zip(*places))
                 if max(abs(a - b) for a, b in zip(with_sheet, without)) > 1]
        if moved:
            number, with_sheet, without = moved[0]
            problems[hosted_site.url(page)] = (f"{len(moved)} blocks move; the first, block {number}: [top, "
                                               f"height] {with_sheet} with the section, {without} without")
    assert not problems, f"hosted build at {width} px: {problems}"


# The layout shifts of the load so far, each with whether it moved a block that the off-screen
# section may skip, something inside one or around one: the section's own selectors, read from
# the page's stylesheet. A buffered observer reports the shifts at once, if there are any.
SHIFTS_JS = """() => new Promise(done => {
  OFFSCREEN_SECTION
  if (section < 0) throw new Error("extra.css, or its @supports (content-visibility) section, is not there")
  const rules = group => [...group.cssRules].flatMap(rule => rule instanceof CSSGroupingRule ? rules(rule) : [rule])
  const skippable = rules(siteSheet.cssRules[section])
    .filter(rule => rule.style?.getPropertyValue("content-visibility") === "auto")
    .map(rule => rule.selectorText).join(", ")
  const element = node => node?.nodeType === Node.TEXT_NODE ? node.parentElement : node
  const observer = new PerformanceObserver(list => {
    observer.disconnect()
    done(list.getEntries().map(shift => [shift.value,
      shift.sources.some(source => element(source.node)?.closest?.(skippable)
        || element(source.node)?.querySelector?.(skippable)),
      shift.sources.map(source => element(source.node)?.className || element(source.node)?.tagName || "")]))
  })
  observer.observe({ type: "layout-shift", buffered: true })
  setTimeout(() => { observer.disconnect(); done([]) }, 500)
})""".replace("OFFSCREEN_SECTION", OFFSCREEN_SECTION_JS)


def test_pages_do_not_shift_while_blocks_render(hosted_site: Site, open_page):
    """A block on screen at load must be rendered in the first frame, not first drawn at its
    estimated height (extra.css): on the notebook page, that once shifted the cells below it
    by a layout shift of 0.54. Only shifts that move such blocks count: Material's header and a
    page's text can shift by about 0.01 under load, as on stock Material (the bench's budget)."""
    problems = {}
    for page in hosted_site.pages():
        with open_page(hosted_site, page, **PHONE) as (tab, _):
            tab.wait_for_timeout(1500)
            shifts = tab.evaluate(SHIFTS_JS)
        total = sum(value for value, moves_blocks, _ in shifts if moves_blocks)
        if total > 0.01:
            problems[hosted_site.url(page)] = f"layout shift {total:.3f} of blocks: {shifts}"
    assert not problems, f"hosted build at 360 px: {problems}"
