"""Typography by the build: every built page of a language is typeset for it.

Contributors type ordinary spaces and straight quotes; scripts/hooks/typography.py
typesets the pages (polytypo, plus French digit groups); these tests read the
real strict build and fail on any violation, naming the page and quoting it.
"""

from pathlib import Path

import pytest

from scripts import i18n, typography

FRENCH_MISTAKES = (
    "<p>Bonjour : ici ; là ! vraiment ? C'est « ça », il dit \"oui\". 60000 et 50 890 poids.</p>"
    "<p>Le <code>x</code>: colle.</p>"
)
SPARED = (
    '<p title="a : b ? l\'x">Voir\u00a0: <code>a: b ; c ? d \'e\' 12345</code>'
    "<kbd>Ctrl : C</kbd> http://127.0.0.1:8000/?q=1 à 12:30, version 2.21.0.</p>"
    "<pre><code>print('x : y ; 60000')</code></pre><script>var s = 'a : b';</script>"
)


def built_pages(site: Path, language: str) -> list[Path]:
    """The HTML pages of one language: under <locale>/, or at the root for the default one."""
    default, *others = i18n.languages()
    folder = site if language == default else site / language
    pages = []
    for page in sorted(folder.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        if relative == "404.html":  # one page for every language: no single typography
            continue
        if language == default and relative.split("/")[0] in others:
            continue
        pages.append(page)
    return pages


@pytest.mark.parametrize("language", i18n.languages())
def test_built_pages_have_their_languages_typography(built_site, language):
    site = built_site
    locale = i18n.words(language, fallback=False).get("typography")
    if not locale:
        pytest.skip(f"i18n/{language}.yml names no typography")
    pages = built_pages(site, language)
    assert len(pages) >= 6, pages
    found = [
        f"{page.relative_to(site).as_posix()}: {rule}: «{context}»"
        for page in pages
        for rule, context in typography.violations(page.read_text(encoding="utf-8"), locale)
    ]
    assert found == [], f"{len(found)} typography violation(s):\n" + "\n".join(found)


def test_the_check_finds_each_french_mistake():
    rules = {rule for rule, _ in typography.violations(FRENCH_MISTAKES, "fr-FR")}
    assert rules == {rule for rule, _ in typography.RULES["fr"]}, rules
    contexts = [context for rule, context in typography.violations(FRENCH_MISTAKES, "fr-FR") if "U+00A0" in rule]
    assert any("Bonjour :" in context for context in contexts), contexts
    assert any("▯: colle" in context for context in contexts), contexts  # missing space after code


def test_the_check_ignores_code_urls_and_attributes():
    assert typography.violations(SPARED, "fr-FR") == []


def test_typeset_french_fixes_text_and_spares_code_urls_and_attributes():
    typeset = typography.typeset(FRENCH_MISTAKES + SPARED, "fr-FR")
    assert typography.violations(typeset, "fr-FR") == []
    assert "Bonjour\u00a0: ici\u202f; là\u202f! vraiment\u202f? C’est «\u00a0ça\u00a0»," in typeset
    assert "il dit «\u00a0oui\u00a0»." in typeset
    assert "<code>x</code>\u00a0: colle" in typeset
    assert "60\u202f000 et 50\u202f890 poids" in typeset
    assert SPARED.replace("Voir\u00a0:", "") in typeset.replace("Voir\u00a0:", "")


def test_typeset_english_curls_quotes_only_in_text():
    html = "<p>It's \"fine\": <code>x = 'a'</code> 60000.</p>"
    typeset = typography.typeset(html, "en-US")
    assert typeset == "<p>It’s “fine”: <code>x = 'a'</code> 60000.</p>"
    assert typography.violations(html, "en-US") and not typography.violations(typeset, "en-US")
