"""The toolchain says when it drifts: the lock, the supported Pythons, CI, Dependabot.

The lock (requirements.lock) is compiled by `scripts/dev lock` from the direct
pins (requirements.txt) for every supported Python. Dependabot bumps
requirements.txt only, so these tests are what turns such a pull request red
until someone runs `scripts/dev lock` and `scripts/dev notebooks`.
"""

import re
import shutil
import subprocess
import sys

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from scripts.docs_checks import ROOT
from scripts.matrix import GENERATIONS

# The Pythons that requirements.lock, CI and the README promise.
SUPPORTED_PYTHONS = ["3.11", "3.12", "3.13"]
WORKFLOWS = ROOT / ".github" / "workflows"
# One locked requirement: `name==version ; marker \`, then its `--hash=` lines.
LOCK_ENTRY_RE = re.compile(r"^(?P<requirement>[A-Za-z0-9][^\s\\]*==[^\s;\\]+(?: ; [^\\]+)?)\s*\\?$")


def direct_pins(path=ROOT / "requirements.txt") -> dict[str, Requirement]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return {canonicalize_name(r.name): r for r in map(Requirement, filter(None, lines))}


def locked(path=ROOT / "requirements.lock") -> list[tuple[Requirement, list[str]]]:
    """Every entry of the lock with its hashes."""
    entries = []
    for line in path.read_text().splitlines():
        match = LOCK_ENTRY_RE.match(line)
        if match:
            entries.append((Requirement(match["requirement"].strip()), []))
        elif line.strip().startswith("--hash="):
            entries[-1][1].append(line.strip().rstrip(" \\"))
    return entries


def environment(python: str, platform: str = "linux") -> dict[str, str]:
    return {"python_version": python, "python_full_version": f"{python}.0", "sys_platform": platform,
            "platform_system": platform.capitalize(), "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "os_name": "posix", "platform_machine": "x86_64"}


def lock_for(python: str, path=ROOT / "requirements.lock") -> dict[str, str]:
    """The versions the lock installs on one Python (Linux, CPython)."""
    versions: dict[str, list[str]] = {}
    for requirement, _ in locked(path):
        if requirement.marker is None or requirement.marker.evaluate(environment(python)):
            (version,) = (spec.version for spec in requirement.specifier)
            versions.setdefault(canonicalize_name(requirement.name), []).append(version)
    duplicates = {name: found for name, found in versions.items() if len(found) > 1}
    assert not duplicates, f"requirements.lock installs two versions on Python {python}: {duplicates}"
    return {name: found[0] for name, found in versions.items()}


def lock_problems(requirements=ROOT / "requirements.txt", lock=ROOT / "requirements.lock") -> list[str]:
    problems = []
    for python in SUPPORTED_PYTHONS:
        versions = lock_for(python, lock)
        for name, requirement in direct_pins(requirements).items():
            found = versions.get(name)
            if found is None or not requirement.specifier.contains(found, prereleases=True):
                problems.append(f"requirements.txt asks for {requirement} but requirements.lock has "
                                f"{found or 'nothing'} on Python {python}: run `scripts/dev lock`, then "
                                "`scripts/dev notebooks` if tensorflow or keras moved, and commit both.")
    return problems


def test_the_lock_installs_what_requirements_txt_pins_on_every_supported_python():
    problems = lock_problems()
    assert not problems, "\n".join(problems)


def test_a_pin_bumped_without_a_new_lock_is_named_with_the_command(tmp_path):
    # What a Dependabot pull request does: requirements.txt moves, the lock does not.
    requirements = tmp_path / "requirements.txt"
    requirements.write_text((ROOT / "requirements.txt").read_text().replace("keras==3.15.1", "keras==3.16.0"))
    problems = lock_problems(requirements)
    assert len(problems) == len(SUPPORTED_PYTHONS), problems
    assert "keras==3.16.0 but requirements.lock has 3.15.1 on Python 3.11: run `scripts/dev lock`" in problems[0]


def test_every_locked_file_is_hash_checked():
    entries = locked()
    assert len(entries) > 100
    for requirement, hashes in entries:
        assert hashes and all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h) for h in hashes), requirement


def test_the_lock_is_compiled_by_scripts_dev_lock_for_every_python():
    assert "#    scripts/dev lock\n" in (ROOT / "requirements.lock").read_text()
    dev = (ROOT / "scripts" / "dev").read_text()
    lock_command = dev[dev.index("  lock)"):].split(";;")[0]
    # One file for every Python >= the oldest supported (pymdown-extensions
    # 13.1 needs 3.11.5), every file's hash.
    for option in ("--universal", "--python-version 3.11.5", "--generate-hashes"):
        assert option in lock_command
    assert "--require-hashes -r requirements.lock" in dev


def test_mkdocs_stays_below_2_and_dependabot_does_not_propose_it():
    mkdocs = direct_pins()["mkdocs"]
    assert not mkdocs.specifier.contains("2.0.0", prereleases=True)
    assert "<2" in str(mkdocs.specifier)
    pip = next(u for u in yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())["updates"]
               if u["package-ecosystem"] == "pip")
    assert {"dependency-name": "mkdocs", "update-types": ["version-update:semver-major"]} in pip["ignore"]


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def steps_using(job: dict, action: str) -> list[dict]:
    return [step for step in job.get("steps", []) if step.get("uses", "").startswith(action + "@")]


def test_ci_runs_the_snippets_on_every_supported_python_under_both_generations():
    jobs = workflow("docs.yml")["jobs"]
    snippets = jobs["snippets"]
    assert snippets["strategy"]["matrix"]["python"] == SUPPORTED_PYTHONS
    (setup,) = steps_using(snippets, "actions/setup-python")
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    runs = [step for step in snippets["steps"] if "run" in step]
    # One step per column of the test matrix, with that column's variables.
    assert [step.get("env", {}) for step in runs] == [g["env"] for g in GENERATIONS.values()]
    assert all(step["run"].startswith("scripts/dev test ") and "tests/snippets" in step["run"] + str(snippets["env"])
               for step in runs)
    assert snippets["env"]["SNIPPET_TESTS"].split()[0] == "tests/snippets"
    # The docs build and the browser tests: one Python, after the snippets.
    assert [s["run"] for s in jobs["test"]["steps"] if "run" in s] == ["scripts/dev test"]
    assert set(jobs["build"]["needs"]) == {"snippets", "test"}
    assert set(jobs["deploy"]["needs"]) == {"snippets", "test", "build"}


def test_ci_uses_node_24_lts():
    for path in WORKFLOWS.glob("*.yml"):
        data = yaml.safe_load(path.read_text())
        for name, job in data["jobs"].items():
            for step in steps_using(job, "actions/setup-node"):
                version = step["with"]["node-version"]
                version = data.get("env", {}).get("NODE_VERSION") if "env.NODE_VERSION" in version else version
                assert version == "24", (path.name, name)


def test_only_the_canary_report_job_may_write_issues():
    writers = []
    for path in WORKFLOWS.glob("*.yml"):
        data = yaml.safe_load(path.read_text())
        assert data["permissions"] == {}, path.name  # nothing at the workflow level
        for name, job in data["jobs"].items():
            if job.get("permissions", {}).get("issues") == "write":
                writers.append((path.name, name))
    assert writers == [("canary.yml", "report")]


def test_the_canary_runs_weekly_and_files_its_table():
    data = workflow("canary.yml")
    triggers = data[True]  # YAML 1.1 reads the key `on` as true
    assert len(triggers["schedule"]) == 1 and "workflow_dispatch" in triggers
    _minute, _hour, day, month, weekday = triggers["schedule"][0]["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    canary, report = data["jobs"]["canary"], data["jobs"]["report"]
    assert canary["permissions"] == {"contents": "read"}
    assert "scripts/dev canary" in canary["steps"][-1]["run"]
    assert report["needs"] == "canary" and "failure()" in report["if"]
    assert not steps_using(report, "actions/checkout")  # runs no repository code
    assert report["steps"][0]["env"]["REPORT"] == "${{ needs.canary.outputs.report }}"


@pytest.fixture
def repo_copy(tmp_path):
    """The files the notebook tools read, copied so that a pin can move."""
    for folder in ("docs", "notebooks", "snippets", "scripts", "i18n"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("requirements.txt", "mkdocs.yml", "claims.yml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def run_notebooks(repo, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scripts.notebooks", *arguments], cwd=repo,
                          capture_output=True, text=True, check=False, timeout=120)


def test_a_tensorflow_bump_fails_the_notebook_check_and_refuses_a_stale_rebuild(repo_copy):
    assert run_notebooks(repo_copy, "--check").returncode == 0
    requirements = repo_copy / "requirements.txt"
    requirements.write_text(requirements.read_text().replace("tensorflow==2.21.0", "tensorflow==2.22.0"))

    # The digest test fails, by design: the outputs were made with 2.21.0...
    check = run_notebooks(repo_copy, "--check")
    assert check.returncode == 1
    assert "outputs were produced with other pinned TensorFlow/Keras versions" in check.stderr

    # ...and re-executing them on an environment that still runs 2.21.0
    # would record the new pin for old outputs: the build refuses, naming
    # the commands, before executing anything.
    build = run_notebooks(repo_copy)
    assert build.returncode == 1
    assert ("requirements.txt pins tensorflow==2.22.0 but this environment has 2.21.0; "
            "run `scripts/dev lock`") in build.stderr
    assert "executing" not in build.stdout


def test_scripts_dev_refuses_a_python_it_cannot_run():
    # Never a silent fall-back to another interpreter's environment.
    result = subprocess.run([str(ROOT / "scripts" / "dev"), "test"], cwd=ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHON": "python3.99"}, check=False, timeout=60)
    assert result.returncode == 2
    assert "no runnable interpreter 'python3.99' (PYTHON)" in result.stderr
    assert not (ROOT / ".venv-3.99").exists()
