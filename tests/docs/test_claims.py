"""The claims registry, its verdicts on the pages, and the publishing gate."""

import json
import os
import subprocess
import sys

from scripts import claims
from scripts.docs_checks import ROOT

REGISTRY = claims.load()


def results(outcome="passed", failing=None):
    def run(generation, keras_version):
        return {
            "generation": generation,
            "tensorflow": "2.21.0",
            "keras": keras_version,
            "date": "2026-11-21",
            "outcomes": {c["test"]: ("failed" if c["test"] == failing else outcome) for c in REGISTRY},
        }

    return {"keras3": run("keras3", "3.15.1"), "keras2": run("keras2", "2.21.0")}


def test_every_claim_has_a_test_and_a_verdict_per_generation():
    assert len(REGISTRY) >= 15
    for claim in REGISTRY:
        assert claims.test_location(claim["test"]) is not None, claim["id"]
        assert {claim["keras3"], claim["keras2"]} <= claims.VERDICTS
        assert claim["claim"]["fr"] and claim["claim"]["en"]


def test_required_claims_are_covered():
    ids = {claim["id"] for claim in REGISTRY}
    assert {
        "state-created-with-add-weight", "build-once-call-every-time", "state-per-instance",
        "separation-helps-serialization", "lambda-no-state", "lambda-serialization-limited",
        "lambda-no-training-flag", "custom-validates-shapes", "custom-integrates-metrics",
        "unnamed-weights-cannot-save", "lazy-layers-no-input-dim",
    } <= ids


def test_verdict_is_shown_in_the_readers_language_with_its_test():
    claim = next(c for c in REGISTRY if c["id"] == "lambda-no-training-flag")
    french = claims.render_verdict(claim, "fr", results(), None)
    english = claims.render_verdict(claim, "en", results(), None)
    assert french.startswith('!!! failure "✘ Vérifié') and "ne tient pas" in french
    assert english.startswith('!!! failure "✘ Checked') and "does not hold" in english
    assert claim["test"] in french and claim["test"] in english


def test_without_results_no_verdict_claims_to_be_checked():
    claim = REGISTRY[0]
    text = claims.render_verdict(claim, "en", None, None)
    assert "Checked" not in text and "not run" in text
    assert "not run" in claims.stamp("en", None)


def test_a_failing_claim_test_is_reported():
    failing = REGISTRY[0]["test"]
    assert claims.failures(REGISTRY, results()) == []
    reported = claims.failures(REGISTRY, results(failing=failing))
    assert reported and all(failing in line for line in reported)
    assert {line.rsplit("under ", 1)[1] for line in reported} == {"Keras 3", "Keras 2"}


def test_build_refuses_to_publish_when_a_claim_test_failed(tmp_path):
    folder = tmp_path / "claims"
    folder.mkdir()
    for generation, run in results(failing=REGISTRY[0]["test"]).items():
        (folder / f"{generation}.json").write_text(json.dumps(run))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "CLAIMS_RESULTS": str(folder), "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode != 0
    assert f"{REGISTRY[0]['id']}: {REGISTRY[0]['test']} failed under Keras 3" in result.stdout + result.stderr
