"""Each page's notebook: its code as cells, its recorded run as outputs.

For every page with Python code, `docs/<lang>/notebooks/<page>.ipynb` holds
the blocks of the page's first variant (its first tab: TensorFlow), in page
order, under the page's own headings, with the outputs of the page's recorded
run (outputs/<page>.json). Nothing runs here: the run is scripts/page_runs.py,
and a notebook differs from the record only in form. So that the notebook runs
as it is, in Colab too:

* its first cell installs what Colab lacks, pinned to requirements.txt;
* an excerpt cell holds its whole class as the page has shown it so far;
* a block that shows a failure on purpose catches that exception and prints it.

The digest (scripts/notebooks.py's) is stored as for the lesson notebook, and
`--check` (and the test suite) fails when a committed notebook is not the one
that the page and the record give. `scripts/dev outputs` writes them.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from scripts import i18n, page_code, page_runs
from scripts.docs_checks import NOTEBOOK_MARKER_RE, ROOT, _relative, page_title
from scripts.notebooks import METADATA_KEY, digest, install_cell
from scripts.page_driver import member_name

if TYPE_CHECKING:  # the build imports this module: nbformat (0.3 s) only when a notebook is made
    import nbformat

DOCS = ROOT / "docs"
WORDS = i18n.WordsByLanguage("outputs")


def notebook_for(page: Path, language: str) -> str | None:
    """The page's notebook, as a path under docs/: its own, or the one it shows."""
    text = page.read_text(encoding="utf-8")
    marker = NOTEBOOK_MARKER_RE.search(text)
    if marker:
        return f"{language}/{marker['name']}"
    wanted = _front_matter(page).get("notebook", True) and page_code.read_blocks(page)
    return f"{language}/notebooks/{page.stem}.ipynb" if wanted else None


def links(notebook: str, repo_url: str | None) -> dict[str, str]:
    """Colab and GitHub URLs of a notebook (a path under docs/), from mkdocs.yml's repo_url."""
    repo = (repo_url or "").rstrip("/")
    owner_and_name = urlparse(repo).path.strip("/")
    path = f"docs/{notebook}"
    return {
        "colab": f"https://colab.research.google.com/github/{owner_and_name}/blob/main/{path}",
        "github": f"{repo}/blob/main/{path}",
    }


def cell_code(block: page_code.Block, classes: dict[str, list[tuple[str | None, str]]]) -> str:
    """The block as a cell that runs on its own: excerpts whole, declared failures caught.

    `classes` holds each class as the page has shown it so far: (member name, source) pairs.
    """
    code = block.code.rstrip("\n")
    lines = code.split("\n")
    for index, node in enumerate(ast.parse(code).body):
        if not isinstance(node, ast.ClassDef):
            continue
        members = [(member_name(member), _segment(lines, member)) for member in node.body]
        if index == 0 and node.name == block.excerpt_of:
            added = {name for name, _ in members[1:]}
            members = [
                (name, text) for name, text in classes.get(node.name, []) if name is None or name not in added
            ] + members[1:]
            header = "\n".join(lines[: node.body[0].lineno - 1]).rstrip()
            code = header + "\n" + "\n\n".join(text for _, text in members)
        classes[node.name] = members
    declared = block.raises()
    if declared:
        body = "\n".join(f"    {line}" if line else "" for line in code.split("\n"))
        code = f'try:\n{body}\nexcept {declared[0]} as error:\n    print(f"{{type(error).__name__}}: {{error}}")'
    return code


def _segment(lines: list[str], node: ast.stmt) -> str:
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(lines[start - 1 : node.end_lineno])


def build(page: Path, language: str) -> nbformat.NotebookNode:
    import nbformat
    blocks = page_code.read_blocks(page)
    variant = page_code.variants(blocks, language, page)[0]
    record = page_runs.load_record(page.stem)
    shown = record.get("runs", {}).get(f"{variant.name}@{variant.generation}", {}).get("blocks", {})
    words = WORDS[language]
    title = page_title(page)
    versions = record.get("runs", {}).get(f"{variant.name}@{variant.generation}", {}).get("versions", {})
    intro = words["notebook_intro"].format(title=title, versions=", ".join(f"{k} {v}" for k, v in versions.items()))
    data = _front_matter(page).get("data") or words["no_data"]
    cells = [
        {"kind": "markdown", "source": f"# {title}\n\n{intro}\n\n{data}"},
        {"kind": "code", "source": install_cell([block.code for block in variant.blocks], language), "block": None},
    ]
    heading, classes = None, {}
    for block in variant.blocks:
        if block.heading != heading:
            heading = block.heading
            cells.append({"kind": "markdown", "source": f"## {heading}"})
        cells.append({"kind": "code", "source": cell_code(block, classes), "block": block.number})
    notebook = nbformat.v4.new_notebook()
    for index, cell in enumerate(cells):
        if cell["kind"] == "markdown":
            made = nbformat.v4.new_markdown_cell(cell["source"])
        else:
            made = nbformat.v4.new_code_cell(cell["source"])
            entry = shown.get(str(cell["block"])) if cell["block"] else None
            if entry:
                made.execution_count = cell["block"]
                text = entry["stdout"] + (entry["raised"] + "\n" if entry["raised"] else "")
                if text:
                    made.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        made["id"] = f"cell-{index:02d}"
        notebook.cells.append(made)
    notebook.metadata.update(
        {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "colab": {"provenance": []},
            METADATA_KEY: {
                "digest": digest(cells),
                "language": language,
                "page": _relative(page),
                "record": _relative(page_runs.record_path(page.stem)),
            },
        }
    )
    return notebook


def _front_matter(page: Path) -> dict:
    import yaml

    match = re.match(r"\A---\n(.*?\n)---\n", page.read_text(encoding="utf-8"), re.S)
    return (yaml.safe_load(match[1]) or {}) if match else {}


def targets(docs_dir: Path = DOCS) -> list[tuple[Path, str, Path]]:
    """(page, language, notebook file) for every page with code, but those whose front matter says `notebook: false`."""
    found = []
    for slug, by_language in page_code.pages(docs_dir).items():
        for language, page in by_language.items():
            if _front_matter(page).get("notebook", True):
                found.append((page, language, docs_dir / language / "notebooks" / f"{slug}.ipynb"))
    return found


def render(notebook: nbformat.NotebookNode) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write_all(docs_dir: Path = DOCS) -> list[Path]:
    """Write every page's notebook, after running one language's cells to prove that they print the record."""
    built = {(page, language, target): build(page, language) for page, language, target in targets(docs_dir)}
    problems = verify(built)
    if problems:
        raise SystemExit("\n".join(problems))
    for (_page, _language, target), notebook in built.items():
        target.parent.mkdir(exist_ok=True)
        target.write_text(render(notebook), encoding="utf-8")
    return [target for _, _, target in built]


def verify(built: dict) -> list[str]:
    """Run each page's notebook cells (but the install cell) as a page run: they must print what the notebook shows."""
    runs, expected = [], {}
    for (page, _language, target), notebook in built.items():
        if any(run.slug == page.stem for run in runs):
            continue  # the languages' code cells are the same: one run per page
        cells = [cell for cell in notebook.cells if cell.cell_type == "code"][1:]
        blocks = tuple(
            page_code.Block(
                number=n, line=0, end=0, indent="", code=cell.source + "\n", origins=(), heading=f"cell {n}", tabs=()
            )
            for n, cell in enumerate(cells, start=1)
        )
        run = page_runs.Run(page.stem, page_code.Variant("notebook", "keras3", blocks), target)
        runs.append(run)
        expected[run] = ["".join(output.get("text", "")) for cell in cells for output in cell.outputs or [{}]]
    problems = []
    for run, results in page_runs.execute_all(runs).items():
        printed = [result["stdout"] for result in results]
        for result in results:
            if result["raised"]:
                problems.append(
                    f"{_relative(run.page)}: cell {result['number']} raised {result['raised']['type']}: "
                    f"{result['raised']['message']}"
                )
        if not problems and printed != expected[run]:
            cell = next(n for n, (a, b) in enumerate(zip(printed, expected[run]), 1) if a != b)
            problems.append(
                f"{_relative(run.page)}: code cell {cell + 1} prints {printed[cell - 1]!r}, "
                f"but the record gives {expected[run][cell - 1]!r}"
            )
    return problems


def check(docs_dir: Path = DOCS) -> list[str]:
    problems = []
    for page, language, target in targets(docs_dir):
        expected = render(build(page, language))
        if not target.exists():
            problems.append(
                f"{_relative(page)}: its notebook {_relative(target)} is missing; run `{page_runs.REFRESH_COMMAND}`"
            )
        elif target.read_text(encoding="utf-8") != expected:
            have = target.read_text(encoding="utf-8").splitlines()
            line = next(
                (n for n, (a, b) in enumerate(zip(have, expected.splitlines()), 1) if a != b),
                min(len(have), len(expected.splitlines())),
            )
            problems.append(
                f"{_relative(target)}:{line}: not the notebook that {_relative(page)} and its record give "
                f"(edited by hand, or stale); run `{page_runs.REFRESH_COMMAND}`"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed notebook is stale")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    for path in write_all():
        print("wrote", _relative(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
