"""Claims from the sources, their tests, and the verdicts the pages show.

    python -m scripts.claims run OUT_DIR   # run every claim's test under each
                                           # generation, save what they saw
    python -m scripts.claims record        # the same, rewriting the committed
                                           # record claims.observed.json

The registry is claims.yml. Each claim's test observes the claim's aspects and
derives the verdict (scripts/observations.py); it fails when that verdict is
not the registry's. A page places a claim's verdict with a line
``[[claim:<id>]]``; ``[[claims-table]]`` expands to the table of all claims.
The publishing build runs the tests first and passes their results to MkDocs
(``CLAIMS_RESULTS``): a verdict is only shown as checked when its test passed
under that generation, in that run. Without results (``mkdocs serve``), pages
say that the claims were not run in this build. What each aspect showed comes
from the committed record, which the tests keep equal to a fresh run.
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
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml

from scripts import i18n, observations
from scripts.docs_checks import LANGUAGES, ROOT, Problem, lines_outside_fences
from scripts.hooks import SEARCH_EXCLUDE
from scripts.matrix import GENERATIONS, generations_of

REGISTRY = ROOT / "claims.yml"
MARKER_RE = re.compile(r"^\[\[claim:(?P<id>[a-z0-9-]+)\]\]\s*$")
TABLE_MARKER = "[[claims-table]]"
VERDICTS = {"holds", "fails", "nuance"}
# The verdict words per language: i18n/<locale>.yml, `claims:` (English fallback).
WORDS = i18n.WordsByLanguage("claims")
SYMBOL = {"holds": "✔", "fails": "✘", "nuance": "⚠", "unchecked": "?"}
ADMONITION = {"holds": "success", "fails": "failure", "nuance": "warning", "unchecked": "info"}


def checkable(claim: dict) -> bool:
    return claim.get("checkable", True) is not False


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
        if not checkable(claim):
            for key in ("id", "page", "claim", "why"):
                if key not in claim:
                    problems.append(Problem(registry, None, f"claim '{where}' has no '{key}'; a claim marked "
                                            "`checkable: false` needs a 'why' saying why no test can decide it."))
            for key in ("test", "aspects", *GENERATIONS):
                if key in claim:
                    problems.append(Problem(registry, None, f"claim '{where}' is `checkable: false` but has "
                                            f"'{key}'; remove it, or remove `checkable: false`."))
        else:
            for key in ("id", "page", "claim", "test", "aspects", *generations_of({})):
                if key not in claim:
                    problems.append(Problem(registry, None, f"claim '{where}' has no '{key}'; add it."))
            for generation in generations_of(claim):
                if claim.get(generation) not in VERDICTS:
                    problems.append(Problem(registry, None, f"claim '{where}': {generation} verdict must be "
                                            f"one of {sorted(VERDICTS)}."))
                if claim.get(generation) in {"fails", "nuance"} and "why" not in claim:
                    problems.append(Problem(registry, None, f"claim '{where}' needs a 'why' in "
                                            f"{' and '.join(LANGUAGES)} to explain its verdict."))
            for key, labels in (claim.get("aspects") or {}).items():
                # Languages that translate the claim (the others show it in English).
                written = [language for language in LANGUAGES if language in claim.get("claim", {})]
                missing = [language for language in written if not (labels or {}).get(language)]
                if missing:
                    problems.append(Problem(registry, None, f"claim '{where}': aspect '{key}' has no label in "
                                            f"{', '.join(missing)}; add one."))
            if "test" in claim and test_location(claim["test"], root) is None:
                problems.append(Problem(registry, None, f"claim '{where}': test '{claim['test']}' not found; "
                                        "fix the pytest id (path::function)."))
        if where in seen:
            problems.append(Problem(registry, None, f"claim id '{where}' is used twice; rename one."))
        seen.add(where)
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
    found = []
    for claim in filter(checkable, claims):
        for generation, run in results.items():
            if generation not in generations_of(claim):
                continue
            label = GENERATIONS[generation]["label"]
            if run["outcomes"].get(claim["test"]) != "passed":
                found.append(f"{claim['id']}: {claim['test']} {run['outcomes'].get(claim['test'], 'not run')} "
                             f"under {label}")
            observed = run.get("observed", {}).get(claim["id"], claim[generation])
            if observed != claim[generation]:
                found.append(f"{claim['id']}: claims.yml says {claim[generation]}, observed {observed} under {label}")
    return found


def record_mismatches(claims: list[dict], record: dict) -> list[str]:
    """Registered verdicts that the committed record of observations contradicts."""
    found = []
    for claim in filter(checkable, claims):
        for generation in generations_of(claim):
            part = GENERATIONS[generation]
            observed = record.get(generation, {}).get("claims", {}).get(claim["id"])
            if observed is None:
                found.append(f"claim '{claim['id']}' has no observation under {part['label']} in "
                             f"{observations.RECORD.name}; run `{observations.REFRESH_COMMAND}`.")
            elif observed["verdict"] != claim[generation]:
                found.append(f"claim '{claim['id']}': claims.yml says {generation}: {claim[generation]}, "
                             f"observed under {part['label']}: {observed['verdict']}.")
            elif sorted(observed["aspects"]) != sorted(claim["aspects"]):
                found.append(f"claim '{claim['id']}': the record's aspects {sorted(observed['aspects'])} differ "
                             f"from claims.yml's {sorted(claim['aspects'])}; run `{observations.REFRESH_COMMAND}`.")
    return found


def _test_link(test_id: str, repo_url: str | None) -> str:
    location = test_location(test_id)
    if not repo_url or location is None:
        return f"`{test_id}`"
    path, line = location
    return f"[`{test_id}`]({repo_url.rstrip('/')}/blob/main/{path.relative_to(ROOT).as_posix()}#L{line})"


def _overall(claim: dict) -> str:
    if not checkable(claim):
        return "unchecked"
    verdicts = {claim[generation] for generation in generations_of(claim)}
    if verdicts == {"holds"}:
        return "holds"
    return "fails" if "fails" in verdicts else "nuance"


def _colon(language: str) -> str:
    """French typography puts a (non-breaking) space before a colon."""
    return "\u00a0:" if language == "fr" else ":"


def _per_generation(claim: dict, language: str) -> str:
    words = WORDS[language]
    if not checkable(claim):
        return words["not_checkable"]
    return " · ".join(
        f"{GENERATIONS[g]['label']}{_colon(language)} {SYMBOL[claim[g]]} {words[claim[g]]}"
        for g in generations_of(claim)
    )


def _aspect_lines(claim: dict, language: str, record: dict) -> list[str]:
    """One line per aspect: what each generation showed, from the record."""
    lines = []
    for key, labels in claim.get("aspects", {}).items():
        cells = []
        for generation in generations_of(claim):
            part = GENERATIONS[generation]
            observed = record.get(generation, {}).get("claims", {}).get(claim["id"], {}).get("aspects", {}).get(key)
            if observed:
                mark = "✔" if observed["holds"] else "✘"
                seen = observed["seen"].replace("`", "'")
                cells.append(f"{part['label']}{_colon(language)} {mark} `{seen}`")
        lines.append(f"- {labels[language]} — " + " · ".join(cells))
    return lines


def render_verdict(claim: dict, language: str, results: dict | None, repo_url: str | None,
                   record: dict | None = None) -> str:
    """The admonition a page shows under a claim."""
    words = WORDS[language]
    overall = _overall(claim)
    heading = words["checked"] if results and checkable(claim) else words["verdict"]
    title = f"{SYMBOL[overall]} {heading} — {_per_generation(claim, language)}"
    if results is None and checkable(claim):
        title += f" ({words['not_run']})"
    body = [f"**{words['claim']}**{_colon(language)} {claim['claim'][language]}"]
    if "why" in claim:
        body.append(claim["why"][language])
    if checkable(claim):
        aspects = _aspect_lines(claim, language, observations.load_record() if record is None else record)
        details = [f"{words['observed']}{_colon(language)}\n\n" + "\n".join(aspects)] if aspects else []
        details.append(f"{words['proof']}{_colon(language)} {_test_link(claim['test'], repo_url)}")
        # Values and a test's name: read, not searched (the test is on "What we checked" too).
        body.append(f"<div markdown {SEARCH_EXCLUDE}>\n\n" + "\n\n".join(details) + "\n\n</div>")
    indented = "\n\n".join("\n".join("    " + line if line else "" for line in paragraph.split("\n"))
                             for paragraph in body)
    return f'!!! {ADMONITION[overall]} "{title}"\n\n{indented}\n'


def render_table(claims: list[dict], language: str, results: dict | None, repo_url: str | None,
                 page_titles: dict[str, str]) -> str:
    words = WORDS[language]
    header = [words["claim"], words["page"], *(GENERATIONS[g]["label"] for g in GENERATIONS), words["test"]]
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for claim in claims:
        explanation = f"<br><small>{claim['why'][language]}</small>" if "why" in claim else ""
        verdicts = (
            [f"{SYMBOL[claim[g]]} {words[claim[g]]}" if g in generations_of(claim) else "—" for g in GENERATIONS]
            if checkable(claim)
            else [f"{SYMBOL['unchecked']} {words['not_checkable']}"] * len(GENERATIONS)
        )
        cells = [
            claim["claim"][language] + explanation,
            f"[{page_titles.get(claim['page'], claim['page'])}]({claim['page']})",
            *verdicts,
            _test_link(claim["test"], repo_url) if checkable(claim) else "—",
        ]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    checked = sum(1 for claim in claims if checkable(claim))
    count = (f"{checked} {words['checked_count']}, {len(claims) - checked} {words['unchecked_count']}.")
    return count + "\n\n" + "\n".join(rows) + "\n\n" + stamp(language, results) + "\n"


def stamp(language: str, results: dict | None) -> str:
    """"Tested with TensorFlow 2.21.0, Keras 3.15.1 and tf-keras 2.21.0, on <date>."""
    words = WORDS[language]
    if not results:
        return f"<small class=\"tested-with\">{words['stamp_dev']}</small>"
    tensorflow = ", ".join(sorted({run["tensorflow"] for run in results.values()}))
    kerases = [
        f"tf-keras {run['keras']} (Keras 2)" if generation == "keras2"
        else f"Keras {run['keras']} / JAX {run.get('jax', '?')}" if generation == "jax"
        else f"Keras {run['keras']}"
        for generation, run in results.items()
    ]
    date = max(run["date"] for run in results.values())
    joined = f" {words['and']} ".join(kerases)
    text = f"{words['stamp']} TensorFlow {tensorflow}, {joined}, {words['on']} {date}."
    return f'<small class="tested-with">{text}</small>'


def run_generation(generation: str, test_ids: list[str], out_dir: Path, record: bool = False) -> dict:
    """Run the claims' tests in a fresh interpreter under one generation."""
    observed_dir = out_dir / "observed"
    env = {**os.environ, **GENERATIONS[generation]["env"], "TF_CPP_MIN_LOG_LEVEL": "2",
           "CLAIMS_OUT": str(observed_dir), "CLAIMS_RECORD": "1" if record else "0"}
    junit = out_dir / f"{generation}.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
         f"--junitxml={junit}", *sorted(set(test_ids))],
        cwd=ROOT, env=env, check=False,
    )
    outcomes = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        test_id = f"{case.get('classname').replace('.', '/')}.py::{case.get('name')}"
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        outcomes[test_id] = "failed" if failed else "skipped" if skipped else "passed"
    seen_path = observed_dir / f"{generation}.json"
    seen = json.loads(seen_path.read_text(encoding="utf-8")) if seen_path.is_file() else {"versions": {}, "claims": {}}
    result = {
        "generation": generation,
        "tensorflow": seen["versions"].get("tensorflow", "?"),
        "keras": seen["versions"].get("keras", "?"),
        **({"jax": seen["versions"]["jax"]} if "jax" in seen["versions"] else {}),
        "date": datetime.date.today().isoformat(),
        "outcomes": outcomes,
        "observed": {claim_id: entry["verdict"] for claim_id, entry in seen["claims"].items()},
    }
    (out_dir / f"{generation}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "record"])
    parser.add_argument("out_dir", type=Path, nargs="?")
    args = parser.parse_args(argv)
    if args.command == "run" and args.out_dir is None:
        parser.error("run needs OUT_DIR")
    claims = load()
    with tempfile.TemporaryDirectory() as scratch:
        out_dir = args.out_dir or Path(scratch)
        out_dir.mkdir(parents=True, exist_ok=True)
        results = {}
        for generation in GENERATIONS:
            test_ids = [c["test"] for c in claims if checkable(c) and generation in generations_of(c)]
            if not test_ids:
                continue
            results[generation] = run_generation(generation, test_ids, out_dir, record=args.command == "record")
    failed = failures(claims, results)
    for line in failed:
        print(f"claim not verified: {line}", file=sys.stderr)
    if args.command == "record" and not failed:
        print(f"Recorded every claim's observations in {observations.RECORD.relative_to(ROOT)}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
