"""The docs sources obey the site's rules: tested code only, two languages in step."""

from scripts import docs_checks, notebooks
from scripts.docs_checks import ROOT


def test_docs_and_notebook_sources_have_no_problems():
    problems = docs_checks.all_problems()
    assert not problems, "\n".join(map(str, problems))


def test_every_page_exists_in_both_languages():
    pages = {lang: docs_checks._pages_by_name(ROOT / "docs", lang) for lang in docs_checks.LANGUAGES}
    assert pages["fr"] == pages["en"]
    assert {"index.md", "build-and-call.md", "custom-vs-lambda.md"} <= pages["fr"]


def test_every_snippet_section_is_shown_in_both_languages():
    sources = [ROOT / "docs", ROOT / "notebooks"]
    for language in docs_checks.LANGUAGES:
        used = set().union(*(docs_checks.used_sections(folder, language) for folder in sources))
        for path in (ROOT / "snippets").glob("*.py"):
            for section in docs_checks.snippet_sections(path):
                assert (f"snippets/{path.name}", section) in used, (language, path.name, section)


def test_committed_notebooks_match_their_sources_and_snippets():
    problems = notebooks.check()
    assert not problems, "\n".join(map(str, problems))


def test_notebook_code_cells_are_exactly_the_snippet_sections():
    import nbformat

    for source in notebooks.all_sources():
        notebook = nbformat.read(notebooks.target_for(source), as_version=4)
        code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert code_cells, source
        sections = [cell for cell in notebooks.source_cells(source) if cell["kind"] == "code"]
        assert [cell.metadata["snippets"] for cell in code_cells] == [cell["snippets"] for cell in sections]
        for cell, section in zip(code_cells, sections):
            if section["snippets"] == [f"snippets/lesson_comparison.py:{notebooks.INSTALL_SECTION}"]:
                assert cell.source == notebooks.install_cell(
                    [s["source"] for s in sections if s is not section], source.parent.name)
                continue
            expected = "\n\n".join(
                notebooks.cell_code(ROOT, *ref.split(":"), source.parent.name)
                for ref in cell.metadata["snippets"]
            )
            assert cell.source == expected


def test_markdown_outside_docs_runs_its_python():
    """README and CONTRIBUTING: Python fences are plain, so pytest-codeblocks runs them."""
    for name in ("README.md", "CONTRIBUTING.md", "CONTRIBUTING.fr.md"):
        path = ROOT / name
        if not path.exists():
            continue
        for fence in docs_checks.read_fences(path.read_text(encoding="utf-8")):
            if fence.language in docs_checks.PYTHON_LANGS:
                assert fence.info == "python", f"{name}:{fence.line}: use a plain ```python fence"
