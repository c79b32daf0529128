"""Would the newest TensorFlow and Keras releases change a verdict?

    python -m scripts.canary          # scripts/dev canary

In a throwaway virtual environment, installs the site's direct dependencies
(requirements.txt) with the newest releases of the packages that decide the
verdicts instead of their pins, runs every claim's test there under each
generation, and prints a Markdown table: claim, generation, pinned verdict,
newest verdict. Exits 1 when a verdict differs or could not be observed.
A weekly workflow runs it and opens an issue with the table when it fails.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts import claims
from scripts.docs_checks import ROOT
from scripts.matrix import GENERATIONS, generations_of

# The releases that decide the verdicts: taken at their newest, not their pins.
# jax and jaxlib decide the Keras 3 (JAX) verdicts.
UNPINNED = ("tensorflow", "keras", "tf-keras", "jax", "jaxlib")


def requirement_name(line: str) -> str | None:
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return match[1].lower().replace("_", "-") if match and not line.lstrip().startswith("#") else None


def pinned_requirements(text: str) -> list[str]:
    """requirements.txt without the packages the canary takes at their newest."""
    return [line for line in text.splitlines() if requirement_name(line) not in (None, *UNPINNED)]


def table(registry: list[dict], results: dict) -> tuple[str, bool]:
    """The Markdown table, and whether any verdict differs."""
    versions = ", ".join(
        f"{GENERATIONS[g]['label']}: TensorFlow {run['tensorflow']}, keras {run['keras']}"
        + (f", jax {run['jax']}" if "jax" in run else "")
        for g, run in results.items()
    )
    rows = [f"Newest releases: {versions}.", "",
            "| claim | generation | pinned | newest |", "| --- | --- | --- | --- |"]
    differs = False
    for claim in filter(claims.checkable, registry):
        for generation, run in results.items():
            if generation not in generations_of(claim):
                continue
            newest = run["observed"].get(claim["id"], "not observed")
            changed = newest != claim[generation]
            differs |= changed
            mark = " **changed**" if changed else ""
            rows.append(f"| `{claim['id']}` | {GENERATIONS[generation]['label']} | {claim[generation]} | "
                        f"{newest}{mark} |")
    return "\n".join(rows), differs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="use (and keep) this folder instead of a temporary one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        venv, out = work / "venv", work / "claims"
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        requirements = work / "requirements-canary.txt"
        requirements.write_text("\n".join(pinned_requirements((ROOT / "requirements.txt").read_text())) + "\n")
        # stdout carries only the table (the weekly workflow files it as an issue).
        quiet = {"stdout": sys.stderr}
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True, **quiet)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", str(requirements),
                        "--upgrade", *UNPINNED], check=True, **quiet)
        subprocess.run([python, "-m", "scripts.claims", "run", str(out)], cwd=ROOT, check=False, **quiet)
        results = {g: json.loads((out / f"{g}.json").read_text()) for g in GENERATIONS if (out / f"{g}.json").is_file()}
    text, differs = table(claims.load(), results)
    print(text)
    if differs or set(results) != {g for c in filter(claims.checkable, claims.load()) for g in generations_of(c)}:
        print("\nA verdict differs on the newest releases: see the rows marked changed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
