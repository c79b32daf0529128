"""Build the executed lesson notebooks from their Markdown sources.

A notebook source, ``notebooks/<lang>/<name>.md``, is Markdown whose Python
fences include snippet sections exactly as pages do. Each fence becomes a code
cell holding those sections; the text between fences becomes Markdown cells.
The notebook is executed for real and written to ``docs/<lang>/<name>.ipynb``,
where the page next to it shows it (its `[[notebook:<name>.ipynb]]` line, rendered
by scripts/hooks/notebooks.py) and readers can download it.

Outputs are cached by content: the notebook records a digest of its cells and
of the pinned TensorFlow and Keras versions. The site build never executes
notebooks; ``--check`` (and the test suite) fails when a committed notebook no
longer matches its source or the snippets, and says to run:

    .venv/bin/python -m scripts.notebooks
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from scripts import i18n
from scripts.docs_checks import (
    INCLUDE_RE,
    LANGUAGES,
    ROOT,
    SECTION_RE,
    Problem,
    _relative,
    read_fences,
)

if TYPE_CHECKING:  # the build imports this module: nbformat (0.3 s) only when a notebook is made
    import nbformat

SOURCES = ROOT / "notebooks"
METADATA_KEY = "custom_layers_site"
# Plots as SVG: crisp at any zoom, and a sixth of the PNG's gzipped bytes.
KERNEL_ARGUMENTS = ["--InlineBackend.figure_formats=svg"]
REBUILD = "run `.venv/bin/python -m scripts.notebooks` to re-execute it"


def section_text(path: Path, section: str) -> str:
    """A snippet section as pymdownx.snippets shows it: markers out, dedented."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = end = None
    for number, line in enumerate(lines):
        match = SECTION_RE.search(line)
        if match and match["name"] == section:
            if match["kind"] == "start":
                start = number
            else:
                end = number
    if start is None or end is None:
        raise KeyError(f"section '{section}' not found in {_relative(path)}")
    body = [line for line in lines[start + 1 : end] if not SECTION_RE.search(line)]
    return textwrap.dedent("\n".join(body)).strip("\n")


# A snippet section of this name holds the notebook's words: each language's
# notebook gets its own, from i18n/<locale>.yml (`notebook:`), so that the
# code stays shared and the notebook speaks its page's language.
WORDS_SECTION = "words"
# A snippet section of this name stands for the notebook's install cell
# (install_cell() below): what the other cells import, pinned to requirements.txt.
INSTALL_SECTION = "install"


def words_cell(language: str) -> str:
    """`WORDS = {...}` in a language (English where it has no word), for the `words` section."""
    notebook = i18n.words(language).get("notebook", {})
    english = i18n.words(i18n.FALLBACK)["notebook"]
    words = {**english["words"], **notebook.get("words", {})}
    body = "".join(f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n" for key, value in words.items())
    return f"{notebook.get('comment', english['comment'])}\nWORDS = {{\n{body}}}"


def cell_code(root: Path, path: str, section: str, language: str) -> str:
    """What a notebook cell shows for an included section (see WORDS_SECTION)."""
    if section == WORDS_SECTION:
        return words_cell(language)
    if section == INSTALL_SECTION:
        return INSTALL_SECTION  # replaced by install_cell() once every cell is known
    return section_text(root / path, section)


def source_cells(source: Path) -> list[dict]:
    """Cells described by a notebook source: markdown text and code includes."""
    text = source.read_text(encoding="utf-8")
    lines = text.splitlines()
    code_fences = [
        fence
        for fence in read_fences(text)
        if fence.body and all(INCLUDE_RE.match(line) for line in fence.body if line.strip())
    ]
    cells = []
    cursor = 0
    for fence in code_fences:
        markdown = "\n".join(lines[cursor : fence.line - 1]).strip()
        if markdown:
            cells.append({"kind": "markdown", "source": markdown})
        includes = [INCLUDE_RE.match(line) for line in fence.body if line.strip()]
        refs = [f"{m['path']}:{m['section']}" for m in includes]
        language = source.parent.name
        code = "\n\n".join(cell_code(repo_root(source), m["path"], m["section"], language) for m in includes)
        cells.append({"kind": "code", "source": code, "snippets": refs, "line": fence.line})
        cursor = fence.line + len(fence.body) + 1
    markdown = "\n".join(lines[cursor:]).strip()
    if markdown:
        cells.append({"kind": "markdown", "source": markdown})
    # The install cell pins what the other cells import.
    codes = [cell["source"] for cell in cells if cell["kind"] == "code" and INSTALL_SECTION not in cell["source"]]
    for cell in cells:
        if cell["kind"] == "code" and any(ref.endswith(f":{INSTALL_SECTION}") for ref in cell["snippets"]):
            cell["source"] = install_cell(codes, source.parent.name)
    return cells


# Import name -> PyPI name, for a notebook's install cell (versions from requirements.txt).
DISTRIBUTIONS = {"tensorflow": "tensorflow", "keras": "keras", "tf_keras": "tf-keras", "jax": "jax",
                 "mlxtend": "mlxtend", "matplotlib": "matplotlib"}


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if version:
            found[name.strip()] = version.split(",")[0].strip()
    return found


def imported(code: str) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module.split(".")[0])
    return names


def install_cell(codes: list[str], language: str) -> str:
    """Installs the pinned versions that the environment lacks (Colab's TensorFlow is another), and nothing else."""
    pinned = pins()
    wanted = {"tensorflow", "keras"} | {name for code in codes for name in imported(code)}
    packages = {DISTRIBUTIONS[name]: pinned[DISTRIBUTIONS[name]] for name in sorted(wanted) if name in DISTRIBUTIONS}
    listed = ",\n".join(f"    {json.dumps(name)}: {json.dumps(version)}" for name, version in sorted(packages.items()))
    return (
        f"{i18n.words(language)['outputs']['install_comment']}\n"
        "from importlib.metadata import PackageNotFoundError, version\n\n"
        f"TESTED_WITH = {{\n{listed},\n}}\n\n\n"
        "def installed(name):\n"
        "    try:\n"
        "        return version(name)\n"
        "    except PackageNotFoundError:\n"
        "        return None\n\n\n"
        'missing = " ".join(f"{name}=={pin}" for name, pin in TESTED_WITH.items() if installed(name) != pin)\n'
        "if missing:\n"
        "    %pip install --quiet {missing}"
    )


def pinned_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if name.strip() in {"tensorflow", "keras"}:
            pins[name.strip()] = version.strip()
    return pins


def installed_version_problems(pins: dict[str, str] | None = None) -> list[str]:
    """Pins that this environment does not run: the digest would record them
    for outputs made with other versions (a Dependabot bump of requirements.txt
    before `scripts/dev lock`, or an environment set up from an older lock)."""
    from importlib.metadata import PackageNotFoundError, version

    problems = []
    for name, pinned in sorted((pins or pinned_versions()).items()):
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            problems.append(
                f"requirements.txt pins {name}=={pinned} but this environment has {installed}; "
                "run `scripts/dev lock` (after a pin changes), then `scripts/dev notebooks`, "
                "which installs the lock before executing."
            )
    return problems


def digest(cells: list[dict]) -> str:
    payload = json.dumps(
        {"cells": [(c["kind"], c["source"]) for c in cells], "pins": pinned_versions(),
         "kernel": KERNEL_ARGUMENTS},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def to_notebook(cells: list[dict], language: str) -> nbformat.NotebookNode:
    import nbformat
    notebook = nbformat.v4.new_notebook()
    for cell in cells:
        if cell["kind"] == "markdown":
            notebook.cells.append(nbformat.v4.new_markdown_cell(cell["source"]))
        else:
            notebook.cells.append(
                nbformat.v4.new_code_cell(cell["source"], metadata={"snippets": cell["snippets"]})
            )
    notebook.metadata.update(
        {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            METADATA_KEY: {"digest": digest(cells), "language": language},
        }
    )
    # Stable ids keep the committed file's diff limited to real changes.
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"
    return notebook


def execute(notebook: nbformat.NotebookNode, source: Path, cells: list[dict]) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    # The kernel inherits this environment: keep TensorFlow's C++ logs out of
    # the published outputs.
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    with tempfile.TemporaryDirectory() as workdir:
        client = NotebookClient(
            notebook,
            timeout=900,
            kernel_name="python3",
            extra_arguments=KERNEL_ARGUMENTS,
            record_timing=False,
            resources={"metadata": {"path": workdir}},
        )
        try:
            client.execute()
        except CellExecutionError as error:
            failing = next(
                (
                    cells[i]
                    for i, cell in enumerate(notebook.cells)
                    if cell.cell_type == "code"
                    and any(o.get("output_type") == "error" for o in cell.get("outputs", []))
                ),
                None,
            )
            where = Problem(source, failing["line"] if failing else None, "").__str__().rstrip(": ")
            refs = ", ".join(failing["snippets"]) if failing else "unknown cell"
            summary = re.sub(r"\x1b\[[0-9;]*m", "", str(error).strip().splitlines()[-1])
            raise SystemExit(
                f"{where}: the notebook cell from {refs} raised {summary}\n"
                "Fix the snippet (its tests in tests/snippets/ should catch this too), then rebuild."
            ) from None


# TensorFlow's C++ runtime logs at import time before anything can silence it
# (TF_CPP_MIN_LOG_LEVEL does not cover these lines in TF 2.21).
STARTUP_LOG_RE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\)|[IWE]\d{4} )")


def drop_startup_logs(notebook: nbformat.NotebookNode) -> None:
    """Remove stderr outputs made only of TensorFlow's C++ start-up log lines."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [
            output
            for output in cell.outputs
            if not (
                output.get("output_type") == "stream"
                and output.get("name") == "stderr"
                and all(STARTUP_LOG_RE.match(line) for line in output["text"].splitlines() if line)
            )
        ]


def repo_root(source: Path) -> Path:
    """notebooks/<lang>/<name>.md sits two folders below the repository root."""
    return source.resolve().parents[2]


def target_for(source: Path) -> Path:
    language = source.parent.name
    return repo_root(source) / "docs" / language / f"{source.stem}.ipynb"


def all_sources() -> list[Path]:
    return sorted(path for language in LANGUAGES for path in (SOURCES / language).glob("*.md"))


def build(sources: list[Path]) -> None:
    import nbformat
    problems = installed_version_problems()
    if problems:
        raise SystemExit("\n".join(problems))
    for source in sources:
        cells = source_cells(source)
        notebook = to_notebook(cells, source.parent.name)
        print(f"executing {_relative(source)} ...", flush=True)
        execute(notebook, source, cells)
        drop_startup_logs(notebook)
        target = target_for(source)
        nbformat.write(notebook, target)
        print(f"wrote {_relative(target)}")


def check(sources: list[Path] | None = None) -> list[Problem]:
    """Committed notebooks match their sources and the snippets they include."""
    import nbformat
    problems = []
    for source in sources or all_sources():
        target = target_for(source)
        if not target.exists():
            problems.append(Problem(target, None, f"missing notebook built from "
                                    f"{_relative(source)}; {REBUILD}."))
            continue
        try:
            cells = source_cells(source)
        except KeyError as error:
            problems.append(Problem(source, None, f"{error.args[0]}; fix the include."))
            continue
        notebook = nbformat.read(target, as_version=4)
        committed = [(c.cell_type, c.source) for c in notebook.cells]
        expected = [(c["kind"], c["source"]) for c in cells]
        drifted = [i for i, (a, b) in enumerate(zip(committed, expected)) if a != b]
        installs_only = len(committed) == len(expected) and drifted and all(
            cells[i]["kind"] == "code" and cells[i]["snippets"][-1].endswith(f":{INSTALL_SECTION}") for i in drifted)
        if installs_only:
            # Only the install cell moved: requirements.txt changed a pin.
            problems.append(Problem(target, None, "outputs were produced with other pinned "
                                    f"TensorFlow/Keras versions; {REBUILD}."))
            continue
        if committed != expected:
            index = next(
                (i for i, (a, b) in enumerate(zip(committed, expected)) if a != b),
                min(len(committed), len(expected)),
            )
            cell = cells[index] if index < len(cells) else None
            origin = ", ".join(cell["snippets"]) if cell and cell["kind"] == "code" else "its Markdown"
            problems.append(Problem(target, None, f"cell {index + 1} has drifted from {origin} "
                                    f"(source {_relative(source)}); {REBUILD}."))
            continue
        recorded = notebook.metadata.get(METADATA_KEY, {}).get("digest")
        if recorded != digest(cells):
            problems.append(Problem(target, None, "outputs were produced with other pinned "
                                    f"TensorFlow/Keras versions; {REBUILD}."))
        for number, cell in enumerate(notebook.cells, start=1):
            if cell.cell_type != "code":
                continue
            if cell.get("execution_count") is None:
                problems.append(Problem(target, None, f"cell {number} was never executed; {REBUILD}."))
            if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
                problems.append(Problem(target, None, f"cell {number} ended with an error; fix the "
                                        f"snippet, then {REBUILD}."))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, do not execute")
    parser.add_argument("sources", nargs="*", type=Path, help="notebooks/<lang>/<name>.md")
    args = parser.parse_args(argv)
    sources = [path.resolve() for path in args.sources] or all_sources()
    if args.check:
        problems = check(sources)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    build(sources)
    return 0


if __name__ == "__main__":
    sys.exit(main())
