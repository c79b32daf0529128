"""The test matrix as data: each Keras generation (and, later, backend) the
site promises, the environment that selects it, and its label on the pages.

Read by the claims runner, the claim fixture (tests/conftest.py) and
scripts/dev, so that adding a column to the matrix is one entry here.
"""

from __future__ import annotations

import os

GENERATIONS = {
    "keras3": {"label": "Keras 3", "env": {}},
    # Under Keras 2, the tests whose outcome depends on the generation: the snippets' tests, the
    # pages' runs and the code blocks of the README and CONTRIBUTING. The site's checks and builds
    # (the rest of tests/docs) do the same under both, and run under Keras 3.
    "keras2": {
        "label": "Keras 2",
        "env": {"TF_USE_LEGACY_KERAS": "1"},
        "paths": ["tests/snippets", "tests/docs/test_page_runs.py", "README.md", "CONTRIBUTING.md",
                  "CONTRIBUTING.fr.md"],
    },
    # Keras 3 on JAX. Optional: only claims about backends carry a `jax`
    # verdict, and only the snippet tests run there (TensorFlow-only ones skip).
    "jax": {
        "label": "Keras 3 (JAX)",
        "env": {"KERAS_BACKEND": "jax"},
        "optional": True,
        "paths": ["tests/snippets", "tests/docs/test_page_runs.py"],
    },
}


DEFAULT_GENERATION = "keras3"

# What a page's tab promises: the generations its code runs under. The tab's
# label in each language is in i18n/<locale>.yml (`tabs:`); scripts/page_runs.py
# runs each tab under each generation listed here.
TABS = {
    "tensorflow": ["keras3"],
    "any_backend": ["keras3", "jax"],
    "keras3": ["keras3"],
    "keras2": ["keras2"],
}


def generations_of(claim: dict) -> list[str]:
    """The generations a claim has a verdict for: every required one, and the optional ones it names."""
    return [name for name, generation in GENERATIONS.items() if not generation.get("optional") or name in claim]


def current_generation(environ=os.environ) -> str:
    """The generation this process runs: the one whose variables are all set."""
    chosen = "keras3"
    for name, generation in GENERATIONS.items():
        env = generation["env"]
        if env and all(environ.get(key) == value for key, value in env.items()):
            chosen = name
    return chosen
