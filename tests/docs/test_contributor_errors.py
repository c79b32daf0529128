"""Each contributor mistake gets a message naming the file, the line and the fix."""

from pathlib import Path

import pytest

from scripts import docs_checks

INCLUDE = '```python title="snippets/{module}.py"\n--8<-- "snippets/{module}.py:{section}"\n```\n'
SNIPPET = """import math

# --8<-- [start:area]
def area(radius):
    return math.pi * radius**2
# --8<-- [end:area]
"""


@pytest.fixture
def tree(tmp_path):
    """A minimal valid site: one page per language including one section."""
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "circle.py").write_text(SNIPPET)
    for language in docs_checks.LANGUAGES:
        folder = tmp_path / "docs" / language
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(
            f"# Home {language}\n\nText.\n\n" + INCLUDE.format(module="circle", section="area")
        )
    (tmp_path / "notebooks" / "fr").mkdir(parents=True)
    (tmp_path / "notebooks" / "en").mkdir(parents=True)
    return tmp_path


def problems(tree: Path) -> list[str]:
    return [str(p) for p in docs_checks.all_problems(tree / "docs", tree)]


def test_valid_tree_has_no_problem(tree):
    assert problems(tree) == []


def test_missing_snippet_file_names_page_and_line(tree):
    page = tree / "docs" / "en" / "index.md"
    page.write_text(page.read_text().replace("circle.py:area", "square.py:area"))
    messages = problems(tree)
    assert any("index.md:6" in m and "'snippets/square.py' does not exist" in m for m in messages), messages


def test_missing_section_names_page_line_and_known_sections(tree):
    page = tree / "docs" / "fr" / "index.md"
    page.write_text(page.read_text().replace(":area", ":perimeter"))
    messages = problems(tree)
    assert any(
        "docs/fr/index.md:6" in m.replace("\\", "/") and "section 'perimeter' not found" in m
        and "sections: area" in m
        for m in messages
    ), messages


def test_page_in_one_language_only(tree):
    (tree / "docs" / "fr" / "extra.md").write_text("# Seulement en français\n")
    messages = problems(tree)
    assert any("extra.md" in m and "exists in 'fr' but not in 'en'" in m for m in messages), messages


def test_headings_differ_between_languages(tree):
    page = tree / "docs" / "en" / "index.md"
    page.write_text(page.read_text() + "\n## A section only in English\n")
    messages = problems(tree)
    assert any("en/index.md:9" in m.replace("\\", "/") and "headings differ" in m for m in messages), messages


def test_includes_differ_between_languages(tree):
    (tree / "snippets" / "circle.py").write_text(
        SNIPPET + "\n# --8<-- [start:other]\nX = 1\n# --8<-- [end:other]\n"
    )
    for language, section in (("fr", "other"), ("en", "area")):
        page = tree / "docs" / language / "index.md"
        page.write_text(page.read_text() + "\n" + INCLUDE.format(module="circle", section=section))
    messages = problems(tree)
    assert any("includes differ" in m and "circle.py:other" in m for m in messages), messages


def test_inline_python_fence(tree):
    page = tree / "docs" / "fr" / "index.md"
    page.write_text(page.read_text() + "\n```python\nprint('not tested')\n```\n")
    messages = problems(tree)
    assert any("fr/index.md:9" in m.replace("\\", "/") and "inline Python block" in m
               and "snippets/" in m for m in messages), messages


def test_fence_title_must_name_the_snippet(tree):
    page = tree / "docs" / "en" / "index.md"
    page.write_text(page.read_text().replace('title="snippets/circle.py"', 'title="circle"'))
    messages = problems(tree)
    assert any("en/index.md:6" in m.replace("\\", "/") and 'title="snippets/circle.py"' in m
               for m in messages), messages


def test_unused_section(tree):
    (tree / "snippets" / "circle.py").write_text(
        SNIPPET + "\n# --8<-- [start:unused]\nY = 2\n# --8<-- [end:unused]\n"
    )
    messages = problems(tree)
    assert any("circle.py:8" in m and "section 'unused' is not shown" in m for m in messages), messages


def test_unbalanced_section_markers(tree):
    (tree / "snippets" / "circle.py").write_text(SNIPPET + "\n# --8<-- [start:open]\nZ = 3\n")
    messages = problems(tree)
    assert any("circle.py:8" in m and "no `# --8<-- [end:open]` marker" in m for m in messages), messages


def test_notebook_marker_without_its_notebook_names_page_line_and_command(tree):
    for language in docs_checks.LANGUAGES:
        (tree / "docs" / language / "lesson.md").write_text("---\ndescription: x\n---\n\n[[notebook:lesson.ipynb]]\n")
    (tree / "docs" / "en" / "lesson.ipynb").write_text("{}")
    messages = problems(tree)
    assert len(messages) == 2, messages  # the missing French notebook: parity, then the marker
    assert any("docs/fr/lesson.md:5" in m.replace("\\", "/") and "no notebook" in m
               and "scripts/dev notebooks" in m for m in messages), messages


def test_notebook_no_page_shows_names_the_page_to_add(tree):
    for language in docs_checks.LANGUAGES:
        (tree / "docs" / language / "lesson.ipynb").write_text("{}")
    messages = problems(tree)
    assert len(messages) == 2, messages
    assert all("no page shows this notebook" in m and "[[notebook:lesson.ipynb]]" in m for m in messages), messages
    assert any("docs/fr/lesson.md" in m.replace("\\", "/") for m in messages), messages


def test_front_matter_that_is_not_yaml_names_the_page_and_the_fix(tree):
    page = tree / "docs" / "fr" / "index.md"
    page.write_text("---\ntitle: Accueil\ndescription: Le site, en bref : tout.\n---\n\n" + page.read_text())
    messages = problems(tree)
    assert any("docs/fr/index.md:1: the front matter is not valid YAML" in m.replace("\\", "/")
               and "(line 3)" in m and 'Quote a value that contains ": "' in m for m in messages), messages
