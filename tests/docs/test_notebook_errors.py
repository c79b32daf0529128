"""A notebook cell that raises stops the notebook build with the snippet's name."""

import textwrap

import pytest

from scripts import notebooks


def test_cell_that_raises_names_the_source_line_and_snippet_section(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "broken.py").write_text(
        textwrap.dedent(
            """
            # --8<-- [start:divide]
            ratio = 1 / 0
            # --8<-- [end:divide]
            """
        )
    )
    source = tmp_path / "notebooks" / "en" / "demo.md"
    source.parent.mkdir(parents=True)
    (tmp_path / "docs" / "en").mkdir(parents=True)
    source.write_text(
        "# Demo\n\nIntro.\n\n"
        '```python title="snippets/broken.py"\n--8<-- "snippets/broken.py:divide"\n```\n'
    )
    with pytest.raises(SystemExit) as raised:
        notebooks.build([source])
    message = str(raised.value)
    assert "notebooks/en/demo.md:5:" in message.replace("\\", "/"), message
    assert "snippets/broken.py:divide" in message
    assert "ZeroDivisionError" in message
    assert not (tmp_path / "docs" / "en" / "demo.ipynb").exists()


def test_stale_notebook_names_the_cell_and_the_command(tmp_path):
    (tmp_path / "snippets").mkdir()
    snippet = tmp_path / "snippets" / "greet.py"
    snippet.write_text('# --8<-- [start:hello]\nprint("hello")\n# --8<-- [end:hello]\n')
    source = tmp_path / "notebooks" / "fr" / "demo.md"
    source.parent.mkdir(parents=True)
    (tmp_path / "docs" / "fr").mkdir(parents=True)
    source.write_text('# Démo\n\n```python title="snippets/greet.py"\n--8<-- "snippets/greet.py:hello"\n```\n')
    notebooks.build([source])
    assert notebooks.check([source]) == []

    snippet.write_text(snippet.read_text().replace("hello", "bonjour").replace("[start:bonjour]", "[start:hello]")
                       .replace("[end:bonjour]", "[end:hello]"))
    problems = [str(p) for p in notebooks.check([source])]
    assert len(problems) == 1
    assert "demo.ipynb" in problems[0] and "cell 2 has drifted from snippets/greet.py:hello" in problems[0]
    assert "python -m scripts.notebooks" in problems[0]
