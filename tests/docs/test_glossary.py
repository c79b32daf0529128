"""The glossary: one page per language, hover definitions, and rejected words refused."""

import pytest
import yaml

from scripts import docs_checks, glossary, i18n, typography
from tests.docs.test_build import copy_of_repository, mkdocs_build
from tests.docs.test_contributor_errors import problems, tree  # noqa: F401 (the fixture)

GLOSSARY = {
    "concepts": [
        {"id": "accuracy",
         "fr": {"term": "exactitude", "definition": "Part des exemples bien classés.", "rejected": ["précision"]},
         "en": {"term": "accuracy", "definition": "The share of examples classified correctly."}},
    ],
    "spelling": {"en": {"initialise": "initialize"}},
}


def test_rejected_variant_names_file_line_and_accepted_term(tree):  # noqa: F811
    (tree / "glossary.yml").write_text(yaml.safe_dump(GLOSSARY, allow_unicode=True), encoding="utf-8")
    page = tree / "docs" / "fr" / "index.md"
    page.write_text(page.read_text() + "\nLa **Précision** atteint 0,9. `précision` en code passe.\n")
    messages = problems(tree)
    assert len(messages) == 1, messages
    assert "docs/fr/index.md:9" in messages[0].replace("\\", "/"), messages
    assert "'précision' is not the site's word for accuracy: write 'exactitude'" in messages[0], messages


def test_refused_spelling_names_file_line_and_spelling(tree):  # noqa: F811
    (tree / "glossary.yml").write_text(yaml.safe_dump(GLOSSARY, allow_unicode=True), encoding="utf-8")
    page = tree / "docs" / "en" / "index.md"
    page.write_text(page.read_text() + "\nWe initialise it.\n\n```text\ninitialise in a fence is fine\n```\n")
    messages = problems(tree)
    assert len(messages) == 1, messages
    assert "docs/en/index.md:9" in messages[0].replace("\\", "/"), messages
    assert "write 'initialize'" in messages[0], messages


def test_the_repository_glossary_covers_every_language_and_its_words_are_not_used():
    concepts = glossary.load()["concepts"]
    assert {concept["id"] for concept in concepts} >= {"accuracy", "keras-2", "save", "register"}
    assert all("term" in concept["en"] and "definition" in concept["en"] for concept in concepts)
    sources = [docs_checks.ROOT / "docs", docs_checks.ROOT / "notebooks"]
    assert [str(problem) for problem in glossary.check(sources)] == []


def test_rejected_variant_fails_the_strict_build_naming_it(tmp_path):
    repo = copy_of_repository(tmp_path)
    page = repo / "docs" / "fr" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nLa précision du modèle.\n", encoding="utf-8")
    line = len(page.read_text(encoding="utf-8").splitlines())
    result = mkdocs_build(repo, tmp_path / "site")
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert f"docs/fr/index.md:{line}: 'précision' is not the site's word for accuracy: write 'exactitude'" in log, log


@pytest.mark.parametrize(("language", "page", "title"), [
    ("fr", "glossaire/index.html", "Glossaire"), ("en", "en/glossary/index.html", "Glossary")])
def test_glossary_page_lists_every_concept_in_its_language(built_site, language, page, title):
    html = (built_site / page).read_text(encoding="utf-8")
    assert f"<title>{title} - " in html
    assert "description:" not in typography.visible_text(html), "front matter shown as text"
    home = (built_site / page).parent.parent / "index.html"
    assert f"\n    {title}\n" in home.read_text(encoding="utf-8"), "the menu names the page in its language"
    for concept in glossary.load()["concepts"]:
        term = glossary.entry(concept, language)["term"]
        assert f'<span id="{concept["id"]}"></span><strong>' in html, concept["id"]
        assert term.split(" (")[0] in html.replace("\u00a0", " ").replace("\u202f", " "), term
    assert i18n.words(language)["glossary"]["definition"] in html


@pytest.mark.parametrize(("language", "page", "word"), [
    ("fr", "dense-relu-from-scratch/index.html", "exactitude"),
    ("en", "en/custom-vs-lambda/index.html", "custom layer"),
])
def test_glossary_terms_have_hover_definitions(built_site, language, page, word):
    html = (built_site / page).read_text(encoding="utf-8")
    concept = next(c for c in glossary.load()["concepts"] if word in glossary.entry(c, language).get(
        "hover", [glossary.entry(c, language)["term"]]))
    assert f">{word}</abbr>" in html, word
    assert '<abbr title="' + glossary.entry(concept, language)["definition"][:12] in html
