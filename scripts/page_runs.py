"""Run each page's code as a reader copies it, and keep what it printed.

One run per page, variant and generation (scripts/page_code.py says what a
variant is): the blocks, in page order, in a fresh ``python -I`` started in an
empty folder, so nothing of the project is importable. For each block the run
records what it printed and what it raised. That record serves everything:

* the reader-order test passes when the run raised only where the page says
  it must (a block's ``# raises: ValueError`` comment, on the raising line);
* the outputs shown under the blocks, and the `[[output:…]]` quotes in the
  prose, are read from the record (scripts/hooks/outputs.py);
* the drift test is "a fresh run equals the record", character for character;
* each page's notebook is its blocks as cells, with the record as outputs
  (scripts/page_notebooks.py).

The languages share a page's run: a test proves that their pages show the
same code in the same tabs. Refresh the records with ``scripts/dev outputs``.
"""

from __future__ import annotations

import argparse
import builtins
import hashlib
import json
import os
import subprocess
import symtable
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scripts import matrix, page_code
from scripts.docs_checks import ROOT, _relative

RECORDS = ROOT / "outputs"
DRIVER = ROOT / "scripts" / "page_driver.py"
REFRESH_COMMAND = "scripts/dev outputs"
# Steady outputs: no GPU probing, no oneDNN reordering of float sums, hashes fixed.
RUN_ENV = {
    "CUDA_VISIBLE_DEVICES": "",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "PYTHONHASHSEED": "0",
    "TF_DETERMINISTIC_OPS": "1",
}


@dataclass(frozen=True)
class Run:
    slug: str
    variant: page_code.Variant
    page: Path  # the page of the first language, which stands for all

    @property
    def key(self) -> str:
        return f"{self.variant.name}@{self.variant.generation}"


def runs(docs_dir: Path = ROOT / "docs", generation: str | None = None) -> list[Run]:
    """Every page's runs (the first language's page stands for all), optionally of one generation."""
    found = []
    for slug, by_language in page_code.pages(docs_dir).items():
        language, page = next(iter(by_language.items()))
        for variant in page_code.variants(page_code.read_blocks(page), language, page):
            if generation is None or variant.generation == generation:
                found.append(Run(slug, variant, page))
    return found


# Imported once per generation before the runs fork (scripts/page_driver.py).
PRELOAD = {"keras3": ["tensorflow", "keras"], "keras2": ["tensorflow", "tf_keras", "keras"], "jax": ["jax", "keras"]}


def execute_all(selected: list[Run], preload: list[str] | None = None) -> dict[Run, list[dict]]:
    """The driver's result for each block each run reached: one driver per generation.

    `preload`: the modules imported before the runs fork (default: the generation's PRELOAD).
    """
    done = {}
    for generation in dict.fromkeys(run.variant.generation for run in selected):
        group = [run for run in selected if run.variant.generation == generation]
        env = {key: value for key, value in os.environ.items() if not key.startswith(("KERAS_", "TF_USE_LEGACY"))}
        env.update(RUN_ENV)
        env.update(matrix.GENERATIONS[generation]["env"])
        with tempfile.TemporaryDirectory(prefix=f"page-runs-{generation}-") as folder:
            jobs = []
            for index, run in enumerate(group):
                cwd = Path(folder) / f"{index}-{run.slug}"
                cwd.mkdir()
                jobs.append(
                    {
                        "cwd": str(cwd),
                        "result": str(cwd / "result.json"),
                        "blocks": [
                            {"number": b.number, "code": b.code, "excerpt_of": b.excerpt_of, "raises": b.raises()}
                            for b in run.variant.blocks
                        ],
                    }
                )
            env["KERAS_HOME"] = str(Path(folder) / ".keras")
            completed = subprocess.run(
                [sys.executable, "-I", str(DRIVER), *(PRELOAD[generation] if preload is None else preload)],
                input=json.dumps(jobs),
                text=True,
                cwd=folder,
                env=env,
                capture_output=True,
                timeout=900,
            )
            for run, job in zip(group, jobs):
                result = Path(job["result"])
                if not result.exists():
                    raise RuntimeError(
                        f"{run.slug} ({run.key}): the driver died (exit {completed.returncode}):\n"
                        f"{completed.stderr[-3000:]}"
                    )
                done[run] = json.loads(result.read_text(encoding="utf-8"))
    return done


def bound_names(code: str) -> set[str]:
    """Names a block's top level defines, assigns or imports."""
    table = symtable.symtable(code, "<block>", "exec")
    return {symbol.get_name() for symbol in table.get_symbols() if symbol.is_assigned() or symbol.is_imported()}


def undefined_names(blocks: tuple[page_code.Block, ...]) -> list[str]:
    """Names a block uses that neither it nor an earlier block defines or imports."""
    problems, known = [], set(dir(builtins)) | {"__name__", "__file__"}
    for block in blocks:
        table = symtable.symtable(block.code, "<block>", "exec")
        own = bound_names(block.code)
        used = set()
        pending = [table]
        while pending:
            scope = pending.pop()
            pending.extend(scope.get_children())
            for symbol in scope.get_symbols():
                top = scope is table
                if symbol.is_referenced() and (top or symbol.is_global()):
                    used.add(symbol.get_name())
        for name in sorted(used - known - own):
            problems.append(
                f"{block.where()}: `{name}` is used before the page shows where it comes from "
                "(show its import or definition in an earlier block)"
            )
        known |= own
    return problems


def reader_problems(run: Run, results: list[dict]) -> list[str]:
    """Everything that stops a reader who copies the blocks in order, or that the page promises and did not happen."""
    page = _relative(run.page)
    problems = [f"{page} ({run.key}), {text}" for text in undefined_names(run.variant.blocks)]
    by_number = {block.number: block for block in run.variant.blocks}
    reached = {result["number"] for result in results}
    for result in results:
        block = by_number[result["number"]]
        declared = block.raises()
        raised = result["raised"]
        if raised and (not declared or raised["type"] != declared[0]):
            origin = by_number.get(raised["block"], block)
            expected = f" (it declares `# raises: {declared[0]}`)" if declared else ""
            ran = block.where(next((line for number, line in raised["through"] if number == block.number), None))
            inside = "" if origin is block else f", inside {origin.where(raised['line'])}"
            problems.append(
                f"{page} ({run.key}), {ran}: raised {raised['type']}: "
                f"{raised['message']}{expected}{inside}\n{raised['traceback']}"
            )
        elif declared and not raised:
            problems.append(
                f"{page} ({run.key}), {block.where(declared[1])}: declares `# raises: {declared[0]}` but raised nothing"
            )
        elif declared and [block.number, declared[1]] not in raised["through"]:
            problems.append(
                f"{page} ({run.key}), {block.where(declared[1])}: {declared[0]} came from "
                f"block {raised['block']} line {raised['line']}, not through the line that declares it"
            )
    missing = [number for number in by_number if number not in reached]
    if missing and not problems:
        problems.append(f"{page} ({run.key}): blocks {missing} never ran")
    return problems


def code_digest(block: page_code.Block) -> str:
    return hashlib.sha256(block.code.encode()).hexdigest()[:16]


def to_record(run: Run, results: list[dict]) -> dict:
    by_number = {block.number: block for block in run.variant.blocks}
    return {
        str(result["number"]): {
            "code": code_digest(by_number[result["number"]]),
            "stdout": result["stdout"],
            "raised": f"{result['raised']['type']}: {result['raised']['message']}" if result["raised"] else None,
        }
        for result in results
    }


def record_path(slug: str, folder: Path = RECORDS) -> Path:
    return folder / f"{slug}.json"


def load_record(slug: str, folder: Path = RECORDS) -> dict:
    path = record_path(slug, folder)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def record_for(slug: str, blocks: list[page_code.Block], folder: Path = RECORDS) -> dict:
    """The page's record; for a page without one (a copy, as scripts.bench --scale makes), the record
    of a page that shows exactly the same code."""
    record = load_record(slug, folder)
    if record or not blocks:
        return record
    wanted = {str(block.number): code_digest(block) for block in blocks}
    for path in sorted(folder.glob("*.json")):
        candidate = json.loads(path.read_text(encoding="utf-8"))
        runs = candidate.get("runs", {}).values()
        shown = {number: entry["code"] for run in runs for number, entry in run.get("blocks", {}).items()}
        if (
            shown
            and all(shown.get(number) == digest for number, digest in wanted.items() if number in shown)
            and set(shown) <= set(wanted)
            and len(set(shown)) == len(wanted)
        ):
            return candidate
    return {}


def save_records(done: dict[Run, list[dict]], folder: Path = RECORDS) -> list[Path]:
    by_slug: dict[str, dict[Run, list[dict]]] = {}
    for run, results in done.items():
        by_slug.setdefault(run.slug, {})[run] = results
    written = []
    for slug, page_runs in by_slug.items():
        record = load_record(slug, folder)
        variants = record.get("runs", {})
        for run, results in page_runs.items():
            variants[run.key] = {"versions": versions(run.variant.generation), "blocks": to_record(run, results)}
        record = {"page": slug, "refresh": REFRESH_COMMAND, "runs": dict(sorted(variants.items()))}
        folder.mkdir(exist_ok=True)
        path = record_path(slug, folder)
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def versions(generation: str) -> dict[str, str]:
    from importlib.metadata import version

    names = {"keras3": ["tensorflow", "keras"], "keras2": ["tensorflow", "tf-keras"], "jax": ["jax", "keras"]}[
        generation
    ]
    return {name: version(name) for name in names}


def drift(run: Run, results: list[dict], record: dict) -> list[str]:
    """Differences between a fresh run and the record, naming page, block and output line."""
    page = _relative(run.page)
    recorded = record.get("runs", {}).get(run.key)
    if recorded is None:
        return [f"{page}: no recorded run {run.key} in {_relative(record_path(run.slug))}; run `{REFRESH_COMMAND}`"]
    fresh = to_record(run, results)
    problems = []
    by_number = {block.number: block for block in run.variant.blocks}
    for number in sorted(set(fresh) | set(recorded["blocks"]), key=int):
        block = by_number.get(int(number))
        where = f"{page} ({run.key}), {block.where() if block else f'block {number}'}"
        now, then = fresh.get(number), recorded["blocks"].get(number)
        if now is None or then is None:
            problems.append(f"{where}: {'ran now but is not recorded' if then is None else 'recorded but did not run'}")
            continue
        if now["code"] != then["code"]:
            problems.append(f"{where}: the code changed since its output was recorded")
            continue
        for field in ("stdout", "raised"):
            old, new = (then[field] or "").splitlines(), (now[field] or "").splitlines()
            for line, (was, is_now) in enumerate(zip(old + [""] * len(new), new + [""] * len(old)), start=1):
                if was != is_now:
                    problems.append(f"{where}: {field} line {line} is now {is_now!r}, the record says {was!r}")
                    break
    if problems:
        problems.append(f"If the new output is right, record it: `{REFRESH_COMMAND}`")
    return problems


@dataclass(frozen=True)
class Shown:
    """What the page shows under one block: from which run, and whether it is still that block's output."""

    run: str
    stdout: str
    raised: str | None
    stale: bool


def shown_outputs(blocks: list[page_code.Block], language: str, page: Path, record: dict) -> dict[int, Shown]:
    """Each block's recorded output, from the first run (in page_code.variants order) that shows the block."""
    shown = {}
    for variant in page_code.variants(blocks, language, page):
        recorded = record.get("runs", {}).get(f"{variant.name}@{variant.generation}", {}).get("blocks", {})
        for block in variant.blocks:
            entry = recorded.get(str(block.number))
            if block.number in shown or entry is None:
                continue
            shown[block.number] = Shown(
                f"{variant.name}@{variant.generation}",
                entry["stdout"],
                entry["raised"],
                stale=entry["code"] != code_digest(block),
            )
    return shown


def differing_outputs(
    blocks: list[page_code.Block], language: str, page: Path, record: dict
) -> dict[int, list[tuple[str, str]]]:
    """Per block, (generation, output) of the other generations whose run printed something else.

    A seeded training gives other figures on JAX than on TensorFlow: the page shows both.
    """
    shown = shown_outputs(blocks, language, page, record)
    others: dict[int, list[tuple[str, str]]] = {}
    for variant in page_code.variants(blocks, language, page):
        recorded = record.get("runs", {}).get(f"{variant.name}@{variant.generation}", {}).get("blocks", {})
        for block in variant.blocks:
            entry, first = recorded.get(str(block.number)), shown.get(block.number)
            if entry is None or first is None or first.run.endswith(f"@{variant.generation}"):
                continue
            text = entry["raised"] or entry["stdout"].rstrip("\n")
            known = [first.raised or first.stdout.rstrip("\n")] + [t for _, t in others.get(block.number, [])]
            if text not in known:
                others.setdefault(block.number, []).append((variant.generation, text))
    return others


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", action="append", help="only this page (its slug); repeatable")
    parser.add_argument("--generation", choices=list(matrix.GENERATIONS), help="only this generation")
    parser.add_argument("--record", action="store_true", help=f"write outputs/<page>.json ({REFRESH_COMMAND})")
    args = parser.parse_args(argv)
    selected = [run for run in runs(generation=args.generation) if not args.page or run.slug in args.page]
    done = execute_all(selected)
    failed = False
    for run, results in done.items():
        problems = reader_problems(run, results)
        if not args.record:
            problems += drift(run, results, load_record(run.slug))
        status = "ok" if not problems else "FAILED"
        print(f"{run.slug:28} {run.key:26} {len(results):3} blocks  {status}")
        for problem in problems:
            print("   ", problem.replace("\n", "\n    "))
        failed |= bool(problems)
    if args.record:
        for path in save_records({run: results for run, results in done.items() if not reader_problems(run, results)}):
            print("wrote", _relative(path))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
