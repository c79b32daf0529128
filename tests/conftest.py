"""The `claim` fixture: a claim's test records what it saw, and the verdict
is derived from that (scripts/observations.py), then compared with claims.yml
and with the committed record.

    CLAIMS_RECORD=1 pytest ...   rewrites the record from this run instead of
                                 comparing with it (scripts/dev claims)
    CLAIMS_OUT=DIR pytest ...    also writes this run's observations to
                                 DIR/<generation>.json (publishing, canary)
"""

import ast
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
        generation = matrix.current_generation()
        entry = next((c for c in claims.load() if c["id"] == claim_id), {})
        if entry and generation not in matrix.generations_of(entry):
            pytest.skip(f"claim '{claim_id}' has no {matrix.GENERATIONS[generation]['label']} verdict in claims.yml")
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

    versions = {"tensorflow": tf.__version__, "keras": keras.__version__}
    if sys.modules.get("jax") is not None:
        versions["jax"] = sys.modules["jax"].__version__
    return versions


def _uses_tensorflow(path: Path) -> bool:
    """Whether a snippet module imports TensorFlow, itself or through another snippet module."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    if any(name.split(".")[0] == "tensorflow" for name in imported):
        return True
    siblings = {name.split(".")[1] for name in imported if name.startswith("snippets.")}
    return any(_uses_tensorflow(path.parent / f"{sibling}.py") for sibling in siblings
               if (path.parent / f"{sibling}.py").is_file() and sibling != path.stem)


# pytest-xdist (`-n auto --dist loadfile`, scripts/dev test) runs each test file
# on one worker, so that its session fixtures are made once. Files that share a
# costly session fixture form one unit instead, and the longest units start
# first, so that the two workers finish together.
SHARED_FIXTURE_UNITS = {
    "lesson-models": {"test_lesson_comparison.py", "test_lesson_custom_model.py",
                      "test_lesson_mnist_data.py", "test_lesson_subclassed_model.py"},  # trained models
    # tests/docs/conftest.py's built_site
    "built-site": {"test_glossary.py", "test_search_index.py", "test_typography.py"},
}
LONGEST_FIRST = ["test_page_runs.py", "lesson-models", "test_languages.py", "test_build.py", "built-site"]


def _unit(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    name = path.rsplit("/", 1)[-1]
    return next((unit for unit, files in SHARED_FIXTURE_UNITS.items() if name in files), path)


def pytest_xdist_make_scheduler(config, log):
    """xdist's documented hook: loadfile, with the shared-fixture units above."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return _unit(nodeid)

    return SharedFixtureScheduling(config, log)


def _rank(item) -> int:
    unit = _unit(item.nodeid)
    name = unit.rsplit("/", 1)[-1]
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config, items):
    """Off TensorFlow, the tests of a snippet module that uses TensorFlow ops skip."""
    items.sort(key=_rank)  # stable: each file keeps its order
    import keras

    if keras.__version__.startswith("2") or keras.backend.backend() == "tensorflow":
        return
    snippets = Path(__file__).resolve().parents[1] / "snippets"
    for item in items:
        name = Path(str(item.fspath)).stem
        module = snippets / f"{name.removeprefix('test_')}.py"
        if name.startswith("test_") and module.is_file() and _uses_tensorflow(module):
            item.add_marker(pytest.mark.skip(
                reason=f"snippets/{module.name} uses TensorFlow ops; the page's 'Keras 3, any backend' "
                       f"tab runs on {keras.backend.backend()}"))


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
