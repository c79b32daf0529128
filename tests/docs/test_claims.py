"""The claims registry, its verdicts on the pages, and the publishing gate."""

import copy
import json
import os
import subprocess
import sys

import pytest

from scripts import claims, observations
from scripts.docs_checks import ROOT
from scripts.matrix import GENERATIONS, generations_of

REGISTRY = claims.load()
CHECKABLE = [claim for claim in REGISTRY if claims.checkable(claim)]
RECORD = observations.load_record()


def results(outcome="passed", failing=None):
    def run(generation, keras_version):
        return {
            "generation": generation,
            "tensorflow": "2.21.0",
            "keras": keras_version,
            "date": "2026-11-21",
            "outcomes": {c["test"]: ("failed" if c["test"] == failing else outcome) for c in CHECKABLE},
        }

    return {"keras3": run("keras3", "3.15.1"), "keras2": run("keras2", "2.21.0")}


def test_every_claim_has_a_test_and_a_verdict_per_generation():
    assert len(CHECKABLE) >= 24
    for claim in CHECKABLE:
        assert claims.test_location(claim["test"]) is not None, claim["id"]
        assert {claim[g] for g in generations_of(claim)} <= claims.VERDICTS
        assert claim["claim"]["fr"] and claim["claim"]["en"] and claim["aspects"]
    for claim in REGISTRY:
        if not claims.checkable(claim):
            assert claim["why"]["fr"] and claim["why"]["en"], claim["id"]


def test_registry_matches_recorded_observations():
    """Every generation's verdicts, as observed by the claims' own tests."""
    assert claims.record_mismatches(REGISTRY, RECORD) == []


@pytest.mark.parametrize("generation", list(GENERATIONS))
def test_flipping_any_verdict_is_caught(generation):
    for claim in (c for c in CHECKABLE if generation in generations_of(c)):
        flipped = copy.deepcopy(REGISTRY)
        entry = next(c for c in flipped if c["id"] == claim["id"])
        entry[generation] = "fails" if entry[generation] != "fails" else "holds"
        reported = claims.record_mismatches(flipped, RECORD)
        assert len(reported) == 1 and f"'{claim['id']}'" in reported[0] and entry[generation] in reported[0]


def test_a_test_that_observes_otherwise_is_refused():
    claim = next(c for c in CHECKABLE if c["id"] == "maximum-is-relu")
    observation = observations.Observation(claim["id"])
    for key in claim["aspects"]:
        observation.aspect(key, holds=True, seen="as if every aspect held")
    recorded = RECORD["keras3"]["claims"][claim["id"]]
    found = observations.problems(observation, claim, "keras3", "Keras 3", recorded)
    assert any("claims.yml says keras3: nuance, but the test observed holds" in line for line in found)
    assert any("Refresh it with" in line for line in found)
    observation = observations.Observation(claim["id"])
    observation.aspect("same_values", holds=True, seen="")
    assert "declares" in observations.problems(observation, claim, "keras3", "Keras 3", recorded)[0]


def test_verdicts_follow_from_aspects():
    def aspects(*truths):
        return {str(i): {"holds": truth, "seen": ""} for i, truth in enumerate(truths)}

    assert observations.derive_verdict(aspects(True, True)) == "holds"
    assert observations.derive_verdict(aspects(False, False)) == "fails"
    assert observations.derive_verdict(aspects(True, False)) == "nuance"


def test_required_claims_are_covered():
    ids = {claim["id"] for claim in REGISTRY}
    assert {
        "state-created-with-add-weight", "build-once-call-every-time", "state-per-instance",
        "separation-helps-serialization", "lambda-no-state", "lambda-serialization-limited",
        "lambda-no-training-flag", "custom-validates-shapes", "custom-integrates-metrics",
        "unnamed-weights-cannot-save", "lazy-layers-no-input-dim", "tf-variable-is-a-weight",
        "lambda-cannot-validate-shapes", "lambda-simple-function-only", "lambda-cannot-add-loss",
        "get-config-required", "state-persists-and-trains", "same-computation-different-states",
        "article-code-runs-as-shown", "call-python-runs-under-fit",
    } <= ids
    assert {"optimisation-separately", "reusability-encapsulation"} <= {
        claim["id"] for claim in REGISTRY if not claims.checkable(claim)
    }


def test_verdict_is_shown_in_the_readers_language_with_its_test():
    claim = next(c for c in REGISTRY if c["id"] == "lambda-no-training-flag")
    french = claims.render_verdict(claim, "fr", results(), None)
    english = claims.render_verdict(claim, "en", results(), None)
    assert french.startswith('!!! failure "✘ Vérifié') and "ne tient pas" in french
    assert english.startswith('!!! failure "✘ Checked') and "does not hold" in english
    assert claim["test"] in french and claim["test"] in english


def test_each_aspect_is_shown_with_what_each_generation_showed():
    claim = next(c for c in REGISTRY if c["id"] == "unnamed-weights-cannot-save")
    english = claims.render_verdict(claim, "en", results(), None)
    for key, labels in claim["aspects"].items():
        line = next(line for line in english.splitlines() if labels["en"] in line)
        for generation in generations_of(claim):
            observed = RECORD[generation]["claims"][claim["id"]]["aspects"][key]
            assert f"`{observed['seen']}`" in line
    assert "Keras 2: ✔ `ValueError`" in english and "Keras 3: ✘ `restored`" in english


def test_uncheckable_claims_say_why_and_name_no_test():
    claim = next(c for c in REGISTRY if c["id"] == "optimisation-separately")
    french = claims.render_verdict(claim, "fr", results(), None)
    assert french.startswith('!!! info "? Verdict — invérifiable par un test"')
    assert claim["why"]["fr"] in french and "Preuve" not in french
    table = claims.render_table(REGISTRY, "en", results(), None, {})
    unchecked = len(REGISTRY) - len(CHECKABLE)
    assert f"{len(CHECKABLE)} claims checked by a test, {unchecked} claims no test can check" in table


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


def test_an_observed_verdict_that_differs_is_reported():
    claim = next(c for c in CHECKABLE if c["id"] == "lambda-no-state")
    run = results()
    run["keras2"]["observed"] = {claim["id"]: "holds"}
    assert claims.failures(REGISTRY, run) == [
        "lambda-no-state: claims.yml says nuance, observed holds under Keras 2"
    ]


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
