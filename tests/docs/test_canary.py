"""scripts/canary.py: what it unpins, and the table it prints."""

import copy

from scripts import canary, claims
from scripts.matrix import GENERATIONS, generations_of

REGISTRY = claims.load()


def _results(overrides=None):
    return {
        g: {"tensorflow": "9.9.9", "keras": "9.9", "observed": {
            c["id"]: (overrides or {}).get((c["id"], g), c[g])
            for c in REGISTRY if claims.checkable(c) and g in generations_of(c)}}
        for g in GENERATIONS
    }


def test_only_the_deciding_packages_are_unpinned():
    kept = canary.pinned_requirements("# comment\ntensorflow==2.21.0\nkeras==3.15.1\ntf_keras==2.21.0\nmkdocs==1.6.1\n")
    assert kept == ["mkdocs==1.6.1"]


def test_table_marks_a_changed_verdict_and_only_it():
    text, differs = canary.table(REGISTRY, _results())
    assert not differs and "changed" not in text and "TensorFlow 9.9.9" in text
    claim = next(c for c in REGISTRY if c["id"] == "maximum-is-relu")
    text, differs = canary.table(REGISTRY, _results({(claim["id"], "keras3"): "holds"}))
    assert differs
    changed = [row for row in text.splitlines() if "changed" in row]
    assert changed == ["| `maximum-is-relu` | Keras 3 | nuance | holds **changed** |"]


def test_an_unobserved_claim_counts_as_changed():
    results = _results()
    results = copy.deepcopy(results)
    del results["keras2"]["observed"]["maximum-is-relu"]
    _, differs = canary.table(REGISTRY, results)
    assert differs
