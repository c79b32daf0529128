"""Each page's code as a reader copies it (scripts/page_runs.py).

Under each generation of scripts/matrix.py, every run of that generation (a
page and one of its tab variants) executes once per session, in a fresh
``python -I`` with nothing of the project importable. The run must raise only
where the page says so, and print exactly what the page shows (the record,
outputs/<page>.json, which the pages and notebooks are built from).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import markdown
import pytest

from scripts import matrix, notebooks, page_code, page_notebooks, page_runs
from scripts.docs_checks import ROOT

GENERATION = matrix.current_generation()
RUNS = page_runs.runs(generation=GENERATION)


def _run_id(run: page_runs.Run) -> str:
    return f"{run.slug}-{run.key}"


@pytest.fixture(scope="session")
def page_results() -> dict:
    return page_runs.execute_all(RUNS)


@pytest.mark.parametrize("run", RUNS, ids=_run_id)
def test_the_page_runs_as_the_reader_copies_it(run, page_results):
    problems = page_runs.reader_problems(run, page_results[run])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("run", RUNS, ids=_run_id)
def test_the_page_shows_what_its_code_prints(run, page_results):
    problems = page_runs.drift(run, page_results[run], page_runs.load_record(run.slug))
    assert not problems, "\n".join(problems)


def test_every_generation_of_the_matrix_has_page_runs():
    promised = {generation for run in page_runs.runs() for generation in [run.variant.generation]}
    assert promised == set(matrix.GENERATIONS), promised


def test_languages_show_the_same_code_so_they_share_a_run():
    problems = [str(p) for slug, pages in page_code.pages().items() for p in page_code.language_problems(slug, pages)]
    assert not problems, "\n".join(problems)


def _pymdownx_expansion(page: Path, block: page_code.Block) -> str:
    """The fence's body as pymdownx.snippets expands it, with mkdocs.yml's options."""
    converter = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={
            "pymdownx.snippets": {"base_path": [str(ROOT)], "check_paths": True, "dedent_subsections": True}
        },
    )
    lines = page.read_text(encoding="utf-8").splitlines()[block.line : block.end - 1]
    body = [line[len(block.indent) :] for line in lines]
    return "\n".join(converter.preprocessors["snippet"].run(body)).strip("\n")


@pytest.mark.parametrize("slug", sorted(page_code.pages()))
def test_blocks_are_what_pymdownx_renders(slug):
    for page in page_code.pages()[slug].values():
        for block in page_code.read_blocks(page):
            assert block.code.strip("\n") == _pymdownx_expansion(page, block), block.where()


def test_the_notebooks_are_the_pages_and_their_records():
    problems = page_notebooks.check()
    assert not problems, "\n".join(problems)


# --- The runner itself, on small pages of plain Python (no TensorFlow import) ---


def _page(tmp_path: Path, body: str, snippet: str | None = None) -> tuple[Path, list[page_code.Block]]:
    (tmp_path / "docs" / "en").mkdir(parents=True, exist_ok=True)
    if snippet is not None:
        (tmp_path / "snippets").mkdir(exist_ok=True)
        (tmp_path / "snippets" / "demo.py").write_text(textwrap.dedent(snippet), encoding="utf-8")
    page = tmp_path / "docs" / "en" / "demo.md"
    page.write_text(textwrap.dedent(body), encoding="utf-8")
    return page, page_code.read_blocks(page, root=tmp_path)


def _demo_run(page, blocks) -> page_runs.Run:
    return page_runs.Run("demo", page_code.Variant("page", "keras3", tuple(blocks)), page)


def _run(blocks) -> list[dict]:
    run = _demo_run(None, blocks)
    return page_runs.execute_all([run], preload=[])[run]


def test_excerpts_join_their_class_and_a_declared_failure_is_checked(tmp_path):
    page, blocks = _page(
        tmp_path,
        """
        # Demo
        ```python
        class Counter:
            ...

            def __init__(self):
                self.count = 0
        ```
        ## Step
        ```python
        class Counter:
            ...

            def step(self):
                self.count += 1
                return self.count
        ```
        ```python
        counter = Counter()
        print(counter.step(), counter.step())
        ```
        ```python
        Counter().missing()  # raises: AttributeError
        ```
    """,
    )
    results = _run(blocks)
    assert [r["stdout"] for r in results] == ["", "", "1 2\n", ""]
    assert results[3]["raised"]["type"] == "AttributeError"
    assert not page_runs.reader_problems(_demo_run(page, blocks), results)


def test_an_undeclared_failure_names_the_block_heading_and_snippet_line(tmp_path):
    page, blocks = _page(
        tmp_path,
        """
        # Demo
        ## Using it
        ```python title="snippets/demo.py"
        --8<-- "snippets/demo.py:use"
        ```
    """,
        snippet="""
        def use():
            # --8<-- [start:use]
            value = 1
            value = value / 0
            # --8<-- [end:use]
    """,
    )
    run = _demo_run(page, blocks)
    problems = page_runs.reader_problems(run, _run(blocks))
    assert len(problems) == 1
    assert "block 1" in problems[0] and "“Using it”" in problems[0], problems
    assert "line 2: snippets/demo.py:5" in problems[0] and "ZeroDivisionError" in problems[0], problems


def test_a_declared_failure_that_does_not_happen_fails(tmp_path):
    page, blocks = _page(
        tmp_path,
        """
        ```python
        value = 1 + 1  # raises: ValueError
        ```
    """,
    )
    run = _demo_run(page, blocks)
    problems = page_runs.reader_problems(run, _run(blocks))
    assert problems and "declares `# raises: ValueError` but raised nothing" in problems[0], problems


def test_the_project_is_not_importable_in_a_run(tmp_path):
    _, blocks = _page(
        tmp_path,
        """
        ```python
        from snippets import state_and_computation
        ```
    """,
    )
    results = _run(blocks)
    assert results[0]["raised"]["type"] == "ModuleNotFoundError", results


@pytest.mark.parametrize("slug", sorted(page_code.pages()))
def test_deleting_an_import_line_fails_naming_page_and_block(slug, tmp_path):
    """Every import a page's snippets show first is needed: without it, the page's run names the block that breaks.

    (An import that an earlier block of the page already made is the reader's
    no-op: deleting it changes nothing, so it is not checked; nor is one that
    nothing uses before a later block imports the name again, as each tab does.)
    """
    shutil.copytree(ROOT / "snippets", tmp_path / "snippets")
    page = next(iter(page_code.pages()[slug].values()))
    language = page.parent.name
    checked = 0
    for block in page_code.read_blocks(page):
        for path, section in block.includes:
            source = tmp_path / path
            original = source.read_text(encoding="utf-8")
            earlier = set().union(
                *(page_runs.bound_names(b.code) for b in page_code.read_blocks(page)[: block.number - 1])
            )
            for line in [
                text
                for text, _ in page_code.section_lines(ROOT / path, section)
                if text.startswith(("import ", "from "))
            ]:
                if page_runs.bound_names(line) <= earlier:
                    continue
                source.write_text(original.replace(line + "\n", "", 1), encoding="utf-8")
                blocks = page_code.read_blocks(page, root=tmp_path)
                problems, reimported = [], True
                for variant in page_code.variants(blocks, language, page):
                    if block.number in [b.number for b in variant.blocks]:
                        problems += page_runs.undefined_names(variant.blocks)
                        later = [page_runs.bound_names(b.code) for b in variant.blocks if b.number > block.number]
                        reimported &= page_runs.bound_names(line) <= set().union(*later)
                source.write_text(original, encoding="utf-8")
                if not problems and reimported:
                    continue  # unused until a later block imports it again (each tab shows its own imports)
                assert any("is used before the page shows where it comes from" in p for p in problems), (
                    f"{page}: deleting `{line}` from {path}:{section} went unnoticed"
                )
                assert all("page line" in p and "block " in p for p in problems)
                checked += 1
    if slug != "index":
        assert checked, f"{slug} shows no import"


def test_changing_one_character_of_a_recorded_output_fails(page_results, tmp_path):
    run = next(run for run, results in page_results.items() if any(r["stdout"] for r in results))
    record = page_runs.load_record(run.slug)
    number, entry = next((n, e) for n, e in record["runs"][run.key]["blocks"].items() if e["stdout"])
    changed = entry["stdout"][0] + ("x" if entry["stdout"][1:2] != "x" else "y") + entry["stdout"][2:]
    tampered = json.loads(json.dumps(record))
    tampered["runs"][run.key]["blocks"][number]["stdout"] = changed
    problems = page_runs.drift(run, page_results[run], tampered)
    assert problems and f"block {number} " in problems[0] and "stdout line 1" in problems[0], problems


def test_changing_one_character_of_a_notebook_output_fails(tmp_path):
    _, _, target = page_notebooks.targets()[0]
    notebook = json.loads(target.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c.get("outputs"))
    text = cell["outputs"][0]["text"]
    joined = "".join(text) if isinstance(text, list) else text
    cell["outputs"][0]["text"] = ("#" if joined[:1] != "#" else "$") + joined[1:]
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / target.relative_to(ROOT / "docs")).write_text(page_notebooks.render(notebook), encoding="utf-8")
    problems = page_notebooks.check(docs)
    assert any(str(target.relative_to(ROOT / "docs")) in p for p in problems), problems


def test_the_install_cell_runs_in_ipython_and_installs_nothing_already_pinned():
    """The notebooks' first cell is IPython (`%pip`): run here, where the pins are installed, it installs nothing."""
    from IPython.core.interactiveshell import InteractiveShell

    page, language, _ = page_notebooks.targets()[0]
    code = page_notebooks.install_cell([b.code for b in page_code.read_blocks(page)], language)
    shell = InteractiveShell.instance()
    result = shell.run_cell(code)
    assert result.success, result.error_in_exec or result.error_before_exec
    assert shell.user_ns["TESTED_WITH"] == {
        "keras": notebooks.pins()["keras"],
        "tensorflow": notebooks.pins()["tensorflow"],
    }
    assert shell.user_ns["missing"] == ""


def test_a_declared_failure_may_come_from_a_method_an_earlier_block_defined(tmp_path):
    page, blocks = _page(
        tmp_path,
        """
        ```python
        class Picky:
            def check(self, value):
                if value % 2:
                    raise ValueError("odd")
        ```
        ```python
        Picky().check(2)
        Picky().check(5)  # raises: ValueError
        ```
        ```python
        Picky().check(3)
        ```
        """,
    )
    problems = page_runs.reader_problems(_demo_run(page, blocks), _run(blocks))
    assert len(problems) == 1, problems  # the declared one passes; the third block's is reported
    assert "block 3" in problems[0] and "inside block 1" in problems[0] and "ValueError: odd" in problems[0], problems


def test_a_block_that_prints_otherwise_on_another_generation_shows_both(tmp_path):
    """The lesson's seeded training prints other figures on JAX: the page shows that output too."""
    slug = "dense-relu-from-scratch"
    page = page_code.pages()[slug]["en"]
    blocks = page_code.read_blocks(page)
    record = page_runs.load_record(slug)
    tensorflow_run = record["runs"]["any_backend@keras3"]["blocks"]
    jax_run = record["runs"]["any_backend@jax"]["blocks"]
    differ = {int(n) for n in jax_run if n in tensorflow_run and jax_run[n]["stdout"] != tensorflow_run[n]["stdout"]}
    others = page_runs.differing_outputs(blocks, "en", page, record)
    assert differ and set(others) == differ, (differ, others)
    assert all(generation == "jax" for entries in others.values() for generation, _ in entries)
    for number, entries in others.items():
        assert entries[0][1] == jax_run[str(number)]["stdout"].rstrip("\n")


def test_a_tab_that_promises_no_generation_is_a_clear_error(tmp_path):
    page, blocks = _page(
        tmp_path,
        """
        === "Keras 4"

            ```python
            x = 1
            ```
        """,
    )
    with pytest.raises(page_code.PageCodeError) as error:
        page_code.variants(blocks, "en", page)
    message = str(error.value)
    assert "demo.md" in message and 'tab "Keras 4" promises no generation' in message, message
    assert "i18n/en.yml" in message and "TABS" in message, message


def test_a_copy_of_a_page_shows_the_record_of_the_page_with_the_same_code(tmp_path):
    """scripts.bench --scale copies pages: a copy finds its original's record; other code finds none."""
    page = page_code.pages()["build-and-call"]["en"]
    blocks = page_code.read_blocks(page)
    assert page_runs.record_for("build-and-call-copy-1", blocks) == page_runs.load_record("build-and-call")
    _, other_blocks = _page(tmp_path, "```python\nx = 1\n```\n")
    assert page_runs.record_for("demo", other_blocks) == {}
