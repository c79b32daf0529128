"""Search, language switch, notebook pages and the offline archive, in Chromium."""

from __future__ import annotations

import json
import re
import zipfile
from html import unescape

import pytest

from scripts.hooks import ARCHIVE_NAME, ARCHIVE_URI
from scripts.notebooks import METADATA_KEY as NOTEBOOK_METADATA_KEY
from scripts.publish import ARCHIVE_ROOT
from tests.browser.site_model import COPY_BUTTON, LANGUAGES, SCROLL_THROUGH_CODE_JS, Site, language_of

pytestmark = pytest.mark.browser

OTHER = {"fr": "en", "en": "fr"}

# Each query is an inflected form that appears on no page of the site, so a
# prefix match cannot find it: only stemming (scripts/hooks/search_worker.js) can.
# "sérialisée" must find the page that says "sérialisation", "serializing" the
# one that says "serialization".
SEARCHES = {
    "fr": ("sérialisée", "custom-vs-lambda"),
    "en": ("serializing", "custom-vs-lambda"),
}


def _clean(visit) -> list[str]:
    return visit.outside_requests + visit.failed_requests + visit.console_errors


def _words_of_site(site: Site, language: str) -> set[str]:
    words = set()
    for page in site.pages():
        if language_of(page) == language:
            text = (site.root / page).read_text(encoding="utf-8").lower()
            words.update(re.findall(r"\w+", text))
    return words


# What search loads (scripts/hooks/search.py). Once the page is loaded and the
# browser idle: Material's worker (lunr) and the language's stemmers, the same
# bytes whatever the number of pages. Once the reader wants search: the
# language's index.
PREPARED_RE = re.compile(r"workers/search\.[0-9a-f]+\.min\.js|/lunr/")
INDEX_RE = re.compile(r"search_index\.(\w+)\.js")


def _requested(visit, pattern) -> list[str]:
    return [url for url in visit.requests if pattern.search(url)]


def _result_pages(tab, site: Site) -> set[str]:
    urls = tab.eval_on_selector_all(".md-search-result__item a[href]", "links => links.map(a => a.href)")
    return {site.page_of(url) for url in urls}


def _wait_for_results(tab, page_name: str) -> None:
    tab.wait_for_function(
        "page => [...document.querySelectorAll('.md-search-result__item a[href]')]"
        ".some(a => a.href.includes(page))", arg=page_name, timeout=15_000)


def _check_results(tab, site: Site, visit, query: str, expected: str, language: str) -> None:
    found = _result_pages(tab, site)
    assert expected in found, f"{site.name}: search {query!r} from {visit.url}: {found}"
    assert {language_of(page) for page in found} == {language}, found
    # Material strikes through query terms it thinks no result contains.
    missing = tab.locator(".md-search-result__item del").all_inner_texts()
    assert not missing, f"terms shown as missing: {missing}"
    indexes = {INDEX_RE.search(url)[1] for url in _requested(visit, INDEX_RE)}
    assert indexes == {language}, f"{site.name}: {visit.url} fetched the indexes of {indexes}"
    assert not _clean(visit), _clean(visit)


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_loads_on_demand_stems_and_stays_in_the_page_language(site: Site, open_page, language):
    query, expected_name = SEARCHES[language]
    assert not any(word.startswith(query) for word in _words_of_site(site, language)), (
        f"{query!r} now appears in the {language} pages: choose a query that only stemming can match")
    home = site.page_named("index", language)
    expected = site.page_named(expected_name, language)
    with open_page(site, home) as (tab, visit):
        if site.name == "offline":
            # file://: Material itself starts search when it opens.
            assert not _requested(visit, PREPARED_RE), f"{site.name}: loaded before search opened"
        else:
            for _ in range(100):  # the idle callback comes after `load`: up to 10 s
                if _requested(visit, PREPARED_RE):
                    break
                tab.wait_for_timeout(100)
            prepared = _requested(visit, PREPARED_RE)
            assert prepared, f"{site.name}: Material's worker was not prepared once the page was idle"
            stemmers = [url for url in prepared if "/lunr/" in url]
            assert bool(stemmers) == (language != "en"), f"{site.name}: {language} stemmers: {stemmers}"
        assert not _requested(visit, INDEX_RE), \
            f"{site.name}: the index loaded before the reader wanted search: {_requested(visit, INDEX_RE)}"
        # The header's search field opens the search (the magnifier button
        # `label[for=__search]` is only shown on narrow screens).
        search = tab.locator("input.md-search__input")
        search.click()
        # Results from the first keystroke: search loads as the reader types.
        search.press_sequentially(query[0])
        tab.wait_for_selector(".md-search-result__item", timeout=15_000)
        search.press_sequentially(query[1:], delay=20)
        _wait_for_results(tab, expected_name)
        _check_results(tab, site, visit, query, expected, language)
        # Each script once: the stemmers this worker prepared are not fetched again on setup.
        repeated = sorted({url for url in _requested(visit, PREPARED_RE) if visit.requests.count(url) > 1})
        assert not repeated, f"{site.name}: fetched twice: {repeated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_from_a_link_with_a_query_works_before_the_page_is_idle(site: Site, open_page, language):
    """`?q=` opens search at once, before the idle-time preparation: the worker loads it all then."""
    query, expected_name = SEARCHES[language]
    expected = site.page_named(expected_name, language)
    with open_page(site, site.page_named("index", language), query=f"q={query}") as (tab, visit):
        _wait_for_results(tab, expected_name)
        _check_results(tab, site, visit, query, expected, language)


# A word the section writes only joined to another: after an elision ("l’état")
# or inside inline code (`@keras.saving.register_keras_serializable()`). Search
# finds it only because the index's separator (mkdocs.yml) splits there.
JOINED_WORDS = {
    "fr": ("état", "build-and-call", "caracteristiques-de-letat", "’"),
    "en": ("register_keras_serializable", "build-and-call", "usage", "."),
}


def _section_text(path, anchor: str) -> str:
    """The text of a page's section, from its heading to the next heading."""
    html = path.read_text(encoding="utf-8")
    start = html.index(f'id="{anchor}"')
    end = re.compile(r"<h[1-6] ").search(html, start)
    return unescape(re.sub(r"<[^>]+>", "", html[start:end.start() if end else None]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_finds_a_word_joined_to_another(site: Site, open_page, language):
    query, name, anchor, joiner = JOINED_WORDS[language]
    page = site.page_named(name, language)
    text = _section_text(site.root / page, anchor)
    alone = [m.start() for m in re.finditer(re.escape(query), text, re.IGNORECASE)
             if m.start() == 0 or text[m.start() - 1] != joiner]
    joined = text.lower().count(f"{joiner}{query.lower()}")
    assert joined and not alone, f"{page}#{anchor} must write {query!r} only after {joiner!r}: choose another section"
    with open_page(site, site.page_named("index", language)) as (tab, visit):
        search = tab.locator("input.md-search__input")
        search.click()
        search.press_sequentially(query, delay=20)
        _wait_for_results(tab, name)
        links = tab.eval_on_selector_all(".md-search-result__item a[href]", "links => links.map(a => a.href)")
        assert any(link.endswith(f"#{anchor}") for link in links), f"{site.name}: {query!r} found {links}"
        assert not _clean(visit), _clean(visit)


# An article and the notebook (whose counterpart links the hooks add); the
# selector's links on every page are checked in test_pages.py.
@pytest.mark.parametrize("name", ["build-and-call", "dense-relu-notebook"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_language_switch_opens_the_counterpart(site: Site, open_page, language, name):
    page = site.page_named(name, language)
    target = site.page_named(name, OTHER[language])
    with open_page(site, page) as (tab, visit):
        tab.click(".md-select button")
        tab.click(f".md-select a[hreflang={OTHER[language]}]")
        tab.wait_for_url(lambda url: site.page_of(url) == target, timeout=10_000)
        tab.wait_for_load_state("networkidle")
        assert tab.locator("html").get_attribute("lang") == OTHER[language]
        assert not _clean(visit), _clean(visit)


@pytest.mark.parametrize("language", LANGUAGES)
def test_notebook_page_shows_outputs_and_copy_buttons(site: Site, open_page, language):
    page = site.page_named("dense-relu-notebook", language)
    with open_page(site, page) as (tab, visit):
        log = tab.get_by_text(re.compile(r"Epoch 1/5")).first
        assert log.is_visible(), f"{visit.url}: training log 'Epoch 1/5' not visible"
        plots = tab.locator(".jp-OutputArea-output img")
        assert plots.count() >= 1, f"{visit.url}: no plot"
        for plot in plots.all():
            plot.scroll_into_view_if_needed()
            assert plot.is_visible(), f"{visit.url}: plot hidden"
            assert plot.evaluate("img => img.complete && img.naturalWidth") > 0, visit.url
        tab.evaluate(SCROLL_THROUGH_CODE_JS)
        cells = tab.locator(".jp-CodeCell .jp-InputArea pre > code").count()
        buttons = tab.locator(f".jp-CodeCell .jp-InputArea pre:has(> code) {COPY_BUTTON}").count()
        assert cells > 0 and buttons == cells, f"{visit.url}: {buttons} copy buttons, {cells} cells"
        scripts = tab.eval_on_selector_all("script[src]", "els => els.map(el => el.src)")
        cdn = [src for src in scripts if re.search(r"(?i)mathjax|mermaid|require", src)]
        assert not cdn, f"{visit.url}: mkdocs-jupyter's CDN scripts are back: {cdn}"
        assert not _clean(visit), _clean(visit)


def _links_to_archive(tab) -> list[str]:
    return tab.eval_on_selector_all(
        "a[href]", f"links => links.map(a => a.href).filter(h => h.includes({ARCHIVE_NAME!r}))")


@pytest.mark.parametrize("language", LANGUAGES)
def test_notebook_page_offers_its_notebook_for_download(site: Site, open_page, language):
    """The page says "download it (button at the top of the page)": the button is there."""
    page = site.page_named("dense-relu-notebook", language)
    with open_page(site, page) as (tab, visit):
        button = tab.locator("a.md-content__button[download]")
        assert button.count() == 1 and button.is_visible(), f"{visit.url}: no download button"
        url = button.evaluate("a => a.href")
        assert not _clean(visit), _clean(visit)
    path = site.file_for(url)
    assert path is not None and path.is_file(), f"{visit.url}: download {url} is not in the build"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"][NOTEBOOK_METADATA_KEY]["language"] == language, url
    assert any(cell.get("outputs") for cell in notebook["cells"]), f"{url}: not an executed notebook"


@pytest.mark.parametrize("language", LANGUAGES)
def test_hosted_home_links_the_offline_archive(hosted_site: Site, open_page, language):
    with open_page(hosted_site, hosted_site.page_named("index", language)) as (tab, visit):
        links = _links_to_archive(tab)
    assert links, f"{visit.url} does not link {ARCHIVE_URI}"
    assert {hosted_site.page_of(url) for url in links} == {ARCHIVE_URI}, links


def test_hosted_build_carries_the_offline_archive(hosted_site: Site):
    archive = hosted_site.root / ARCHIVE_URI
    with zipfile.ZipFile(archive) as bundle:
        assert bundle.testzip() is None, f"{archive}: corrupt member"
        names = set(bundle.namelist())
    for page in ("index.html", "en/index.html", "dense-relu-notebook.html",
                 "assets/javascripts/iframe-worker.js"):
        assert f"{ARCHIVE_ROOT}/{page}" in names, f"{archive}: no {ARCHIVE_ROOT}/{page}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_offline_home_does_not_link_the_archive(offline_site: Site, open_page, language):
    with open_page(offline_site, offline_site.page_named("index", language)) as (tab, visit):
        assert not _links_to_archive(tab), visit.url
    assert not (offline_site.root / ARCHIVE_URI).exists()


def test_hosted_404_page_speaks_both_languages(hosted_site: Site, open_page):
    """GitHub Pages serves the one /404.html for every missing address, in either language."""
    with open_page(hosted_site, "404.html") as (tab, visit):
        for language in LANGUAGES:
            part = tab.locator(f"article section[lang={language}]")
            assert part.count() == 1 and part.is_visible(), f"{visit.url}: no {language} part"
            home = part.locator("a").evaluate("a => a.href")
            assert hosted_site.page_of(home) == hosted_site.page_named("index", language), home
        assert not _clean(visit), _clean(visit)


RUN_LINK_PAGES = ["build-and-call", "custom-vs-lambda", "dense-relu-from-scratch", "dense-relu-notebook"]


@pytest.mark.parametrize("name", RUN_LINK_PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_with_code_offer_colab_github_and_their_notebook(site: Site, open_page, language, name):
    """Under the title: Colab and GitHub open the page's notebook in the repository; the download is in the build."""
    with open_page(site, site.page_named(name, language)) as (tab, visit):
        links = tab.locator(".run-links a")
        assert links.count() == 3 and all(links.nth(i).is_visible() for i in range(3)), f"{visit.url}: no run links"
        colab, github, download = (links.nth(i).evaluate("a => a.href") for i in range(3))
        downloads = links.nth(2).evaluate("a => a.hasAttribute('download')")
        assert not _clean(visit), _clean(visit)
    folder = "" if name == "dense-relu-notebook" else "notebooks/"
    stem = "dense-relu-notebook" if name == "dense-relu-notebook" else name
    in_repo = f"blob/main/docs/{language}/{folder}{stem}.ipynb"
    assert re.fullmatch(rf"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/{in_repo}", colab), colab
    assert re.fullmatch(rf"https://github\.com/[\w.-]+/[\w.-]+/{in_repo}", github), github
    assert colab.split("/github/")[1] == github.split("github.com/")[1], (colab, github)
    path = site.file_for(download)
    assert downloads and path is not None and path.is_file(), f"{visit.url}: download {download} is not in the build"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"][NOTEBOOK_METADATA_KEY]["language"] == language, download
    assert any(cell.get("outputs") for cell in notebook["cells"]), f"{download}: no outputs"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_code_block_gets_its_copy_button_when_the_reader_reaches_it(site: Site, open_page, language):
    """Material mounts code blocks as they come into view (`content.lazy`, mkdocs.yml): the first
    use of a copy button far down the page, or in a tab just selected, still copies the code."""
    page = site.page_named("custom-vs-lambda", language)
    with open_page(site, page, permissions=["clipboard-read", "clipboard-write"]) as (tab, visit):
        last = tab.locator(".md-content .highlight:has(> pre > code) >> visible=true").last
        button = last.locator(COPY_BUTTON)
        assert button.count() == 0, f"{visit.url}: the last code block was mounted before the reader reached it"
        # To the middle of the screen, as SCROLL_THROUGH_CODE_JS does. On a phone, blocks above it not
        # yet rendered (extra.css) get their real height on the way, and the browser keeps the block
        # in place; Playwright's own scroll puts it at the screen's edge, from which it slipped off.
        last.evaluate("block => block.scrollIntoView({ block: 'center' })")
        tab.wait_for_function("block => { const box = block.getBoundingClientRect()\n"
                              "  return box.top >= 0 && box.bottom <= innerHeight }", arg=last.element_handle())
        # Attached is enough: Material shows the button when the pointer is over the block.
        button.wait_for(state="attached", timeout=10_000)
        last.hover()
        button.click()
        copied = tab.evaluate("() => navigator.clipboard.readText()")
        shown = last.locator("pre > code").inner_text()
        assert copied.strip() == shown.strip(), f"{visit.url}: copied {copied[:80]!r}, shown {shown[:80]!r}"

        # A block in a tab not yet selected gets its button once the tab is.
        tab.evaluate("scrollTo(0, 0)")
        tabs = tab.locator(".md-content .tabbed-set").first
        tabs.scroll_into_view_if_needed()
        tabs.locator(".tabbed-labels > label").nth(1).click()
        shown = tabs.locator(".tabbed-block").nth(1).locator(".highlight:has(> pre > code)").first
        shown.wait_for(state="visible", timeout=10_000)
        shown.scroll_into_view_if_needed()
        shown.locator(COPY_BUTTON).wait_for(state="attached", timeout=10_000)
        assert not _clean(visit), _clean(visit)
