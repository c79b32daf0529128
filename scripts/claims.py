"""Claims from the sources, their tests, and the verdicts the pages show.

    python -m scripts.claims run OUT_DIR   # run every claim's test under
                                           # Keras 3 and Keras 2, save results

The registry is claims.yml. A page places a claim's verdict with a line
``[[claim:<id>]]``; ``[[claims-table]]`` expands to the table of all claims.
The publishing build runs the tests first and passes their results to MkDocs
(``CLAIMS_RESULTS``): a verdict is only shown as checked when its test passed
under that generation, in that run. Without results (``mkdocs serve``), pages
say that the claims were not run in this build.
"""

from __future__ import annotations

import argparse
import ast
import copy
import datetime
import functools
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml

from scripts import i18n
from scripts.docs_checks import LANGUAGES, ROOT, Problem, lines_outside_fences

REGISTRY = ROOT / "claims.yml"
MARKER_RE = re.compile(r"^\[\[claim:(?P<id>[a-z0-9-]+)\]\]\s*$")
TABLE_MARKER = "[[claims-table]]"
GENERATIONS = {
    "keras3": {"label": "Keras 3", "env": {}},
    "keras2": {"label": "Keras 2", "env": {"TF_USE_LEGACY_KERAS": "1"}},
}
VERDICTS = {"holds", "fails", "nuance"}
# The verdict words per language: i18n/<locale>.yml, `claims:` (English fallback).
WORDS = i18n.WordsByLanguage("claims")
SYMBOL = {"holds": "✔", "fails": "✘", "nuance": "⚠"}
ADMONITION = {"holds": "success", "fails": "failure", "nuance": "warning"}


def load(path: Path = REGISTRY) -> list[dict]:
    return copy.deepcopy(_parsed(path, path.stat().st_mtime_ns, "yaml"))


def test_location(test_id: str, root: Path = ROOT) -> tuple[Path, int] | None:
    """File and line of ``def test_…`` for a pytest id, or None if absent."""
    file_part, _, name = test_id.partition("::")
    path = root / file_part
    if not path.is_file():
        return None
    for node in ast.walk(_parsed(path, path.stat().st_mtime_ns, "python")):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return path, node.lineno
    return None


def check_registry(claims: list[dict], docs_dir: Path, root: Path = ROOT) -> list[Problem]:
    """Registry entries are complete, their tests exist, and pages place them."""
    problems = []
    registry = root / "claims.yml"
    seen = set()
    for claim in claims:
        where = claim.get("id", "?")
        for key in ("id", "page", "claim", "test", *GENERATIONS):
            if key not in claim:
                problems.append(Problem(registry, None, f"claim '{where}' has no '{key}'; add it."))
        if where in seen:
            problems.append(Problem(registry, None, f"claim id '{where}' is used twice; rename one."))
        seen.add(where)
        for generation in GENERATIONS:
            if claim.get(generation) not in VERDICTS:
                problems.append(Problem(registry, None, f"claim '{where}': {generation} verdict must be "
                                        f"one of {sorted(VERDICTS)}."))
            if claim.get(generation) in {"fails", "nuance"} and "why" not in claim:
                problems.append(Problem(registry, None, f"claim '{where}' needs a 'why' in fr and en "
                                        "to explain its verdict."))
        if "test" in claim and test_location(claim["test"], root) is None:
            problems.append(Problem(registry, None, f"claim '{where}': test '{claim['test']}' not found; "
                                    "fix the pytest id (path::function)."))
    known = {claim["id"]: claim for claim in claims if "id" in claim}
    order: dict[str, dict[str, list[str]]] = {}
    for language in LANGUAGES:
        placed: dict[str, list[str]] = {}
        for page in sorted((docs_dir / language).rglob("*.md")):
            for number, line in lines_outside_fences(page.read_text(encoding="utf-8")):
                match = MARKER_RE.match(line.strip())
                if not match:
                    continue
                claim_id = match["id"]
                if claim_id not in known:
                    problems.append(Problem(page, number, f"unknown claim '{claim_id}'; add it to "
                                            "claims.yml or fix the id."))
                placed.setdefault(claim_id, []).append(page.name)
                order.setdefault(page.name, {}).setdefault(language, []).append(claim_id)
        for claim_id, claim in known.items():
            if claim.get("page") not in placed.get(claim_id, []):
                problems.append(Problem(docs_dir / language / claim.get("page", "?"), None,
                                        f"claim '{claim_id}' is not placed on this page; add a line "
                                        f"`[[claim:{claim_id}]]` after the sentence it checks."))
    first, *others = LANGUAGES
    for name, by_language in sorted(order.items()):
        for second in others:
            if by_language.get(first, []) != by_language.get(second, []):
                problems.append(Problem(docs_dir / second / name, None,
                                        f"claim markers differ from {first}/{name} ({by_language.get(first, [])} "
                                        f"vs {by_language.get(second, [])}); place the same claims in the same order."))
    return problems


@functools.lru_cache(maxsize=64)
def _parsed(path: Path, mtime_ns: int, kind: str):
    """A file parsed once per version: every page of a build renders claims.

    `mtime_ns` is part of the key so that `mkdocs serve` sees edits.
    """
    text = path.read_text(encoding="utf-8")
    if kind == "yaml":
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return ast.parse(text)


def load_results(folder: str | os.PathLike | None) -> dict | None:
    if not folder:
        return None
    results = {}
    for generation in GENERATIONS:
        path = Path(folder) / f"{generation}.json"
        if path.is_file():
            results[generation] = json.loads(path.read_text(encoding="utf-8"))
    return results or None


def failures(claims: list[dict], results: dict | None) -> list[str]:
    """Claims whose test did not pass under a generation that was run."""
    if not results:
        return []
    return [
        f"{claim['id']}: {claim['test']} {run['outcomes'].get(claim['test'], 'not run')} "
        f"under {GENERATIONS[generation]['label']}"
        for claim in claims
        for generation, run in results.items()
        if run["outcomes"].get(claim["test"]) != "passed"
    ]


def _test_link(test_id: str, repo_url: str | None) -> str:
    location = test_location(test_id)
    if not repo_url or location is None:
        return f"`{test_id}`"
    path, line = location
    return f"[`{test_id}`]({repo_url.rstrip('/')}/blob/main/{path.relative_to(ROOT).as_posix()}#L{line})"


def _overall(claim: dict) -> str:
    verdicts = {claim[generation] for generation in GENERATIONS}
    if verdicts == {"holds"}:
        return "holds"
    return "fails" if "fails" in verdicts else "nuance"


def _colon(language: str) -> str:
    """French typography puts a (non-breaking) space before a colon."""
    return "\u00a0:" if language == "fr" else ":"


def _per_generation(claim: dict, language: str) -> str:
    words = WORDS[language]
    return " · ".join(
        f"{GENERATIONS[g]['label']}{_colon(language)} {SYMBOL[claim[g]]} {words[claim[g]]}" for g in GENERATIONS
    )


def render_verdict(claim: dict, language: str, results: dict | None, repo_url: str | None) -> str:
    """The admonition a page shows under a claim."""
    words = WORDS[language]
    overall = _overall(claim)
    heading = words["checked"] if results else words["verdict"]
    title = f"{SYMBOL[overall]} {heading} — {_per_generation(claim, language)}"
    if results is None:
        title += f" ({words['not_run']})"
    body = [f"**{words['claim']}**{_colon(language)} {claim['claim'][language]}"]
    if "why" in claim:
        body.append(claim["why"][language])
    body.append(f"{words['proof']}{_colon(language)} {_test_link(claim['test'], repo_url)}")
    indented = "\n\n".join("    " + paragraph for paragraph in body)
    return f'!!! {ADMONITION[overall]} "{title}"\n\n{indented}\n'


def render_table(claims: list[dict], language: str, results: dict | None, repo_url: str | None,
                 page_titles: dict[str, str]) -> str:
    words = WORDS[language]
    header = [words["claim"], words["page"], *(GENERATIONS[g]["label"] for g in GENERATIONS), words["test"]]
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for claim in claims:
        explanation = f"<br><small>{claim['why'][language]}</small>" if "why" in claim else ""
        cells = [
            claim["claim"][language] + explanation,
            f"[{page_titles.get(claim['page'], claim['page'])}]({claim['page']})",
            *(f"{SYMBOL[claim[g]]} {words[claim[g]]}" for g in GENERATIONS),
            _test_link(claim["test"], repo_url),
        ]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n\n" + stamp(language, results) + "\n"


def stamp(language: str, results: dict | None) -> str:
    """"Tested with TensorFlow 2.21.0, Keras 3.15.1 and tf-keras 2.21.0, on <date>."""
    words = WORDS[language]
    if not results:
        return f"<small class=\"tested-with\">{words['stamp_dev']}</small>"
    tensorflow = ", ".join(sorted({run["tensorflow"] for run in results.values()}))
    kerases = [
        f"Keras {run['keras']}" if generation == "keras3" else f"tf-keras {run['keras']} (Keras 2)"
        for generation, run in results.items()
    ]
    date = max(run["date"] for run in results.values())
    joined = f" {words['and']} ".join(kerases)
    text = f"{words['stamp']} TensorFlow {tensorflow}, {joined}, {words['on']} {date}."
    return f'<small class="tested-with">{text}</small>'


def run_generation(generation: str, test_ids: list[str], out_dir: Path) -> dict:
    env = {**os.environ, **GENERATIONS[generation]["env"], "TF_CPP_MIN_LOG_LEVEL": "2"}
    junit = out_dir / f"{generation}.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         f"--junitxml={junit}", *sorted(set(test_ids))],
        cwd=ROOT, env=env, check=False,
    )
    versions = subprocess.run(
        [sys.executable, "-c",
         "import os, tensorflow as tf; "
         "k = __import__('tf_keras' if os.environ.get('TF_USE_LEGACY_KERAS') == '1' else 'keras'); "
         "print(tf.__version__, k.__version__)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()
    outcomes = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        test_id = f"{case.get('classname').replace('.', '/')}.py::{case.get('name')}"
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        outcomes[test_id] = "failed" if failed else "skipped" if skipped else "passed"
    result = {
        "generation": generation,
        "tensorflow": versions[0],
        "keras": versions[1],
        "date": datetime.date.today().isoformat(),
        "outcomes": outcomes,
    }
    (out_dir / f"{generation}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run"])
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    claims = load()
    test_ids = [claim["test"] for claim in claims]
    results = {g: run_generation(g, test_ids, args.out_dir) for g in GENERATIONS}
    failed = failures(claims, results)
    for line in failed:
        print(f"claim not verified: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
