"""The `claim` fixture: a claim's test records what it saw, and the verdict
is derived from that (scripts/observations.py), then compared with claims.yml
and with the committed record.

    CLAIMS_RECORD=1 pytest ...   rewrites the record from this run instead of
                                 comparing with it (scripts/dev claims)
    CLAIMS_OUT=DIR pytest ...    also writes this run's observations to
                                 DIR/<generation>.json (publishing, canary)
"""

import inspect
import json
import os
import sys
from pathlib import Path

import pytest

from scripts import claims, matrix, observations

_OBSERVED: dict[str, dict] = {}


@pytest.fixture
def claim(request):
    """``observe = claim("lambda-no-state")``; then ``observe.aspect(...)``."""
    opened = []

    def open_observation(claim_id):
        observation = observations.Observation(claim_id)
        opened.append(observation)
        return observation

    request.node._claim_observations = opened
    return open_observation


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    # Only a test body that ran to its end has a complete observation.
    opened = getattr(item, "_claim_observations", [])
    if not opened:
        return result
    generation = matrix.current_generation()
    label = matrix.GENERATIONS[generation]["label"]
    registry = {entry["id"]: entry for entry in claims.load()}
    recording = os.environ.get("CLAIMS_RECORD") == "1"
    record = observations.load_record().get(generation, {}).get("claims", {})
    found = []
    for observation in opened:
        recorded = observation.as_record() if recording else record.get(observation.claim_id)
        found += observations.problems(observation, registry.get(observation.claim_id), generation, label, recorded)
        _OBSERVED[observation.claim_id] = observation.as_record()
    if found:
        pytest.fail("\n".join(found), pytrace=False)
    return result


def pytest_sessionfinish(session):
    if not _OBSERVED:
        return
    generation = matrix.current_generation()
    versions = _versions()
    if os.environ.get("CLAIMS_RECORD") == "1":
        observations.save_record(generation, versions, _OBSERVED)
    if out := os.environ.get("CLAIMS_OUT"):
        path = Path(out) / f"{generation}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"versions": versions, "claims": _OBSERVED}, indent=2), encoding="utf-8")


def _versions():
    import keras
    import tensorflow as tf

    return {"tensorflow": tf.__version__, "keras": keras.__version__}


def pytest_collection_finish(session):
    """Under mutmut (scripts/dev mutation), give its constructor trampolines their real signature.

    mutmut wraps every mutated function in a ``(*args, **kwargs)`` trampoline.
    ``inspect.signature`` sees through it (``__wrapped__``), but Keras's
    ``Layer.__new__`` reads the constructor with ``getfullargspec``, which does
    not: every layer would then fail, whatever the mutation.
    """
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    for name, module in list(sys.modules.items()):
        if name.startswith("snippets."):
            for owner in vars(module).values():
                constructor = vars(owner).get("__init__") if inspect.isclass(owner) else None
                if constructor is not None and hasattr(constructor, "__wrapped__"):
                    constructor.__signature__ = inspect.signature(constructor.__wrapped__)
