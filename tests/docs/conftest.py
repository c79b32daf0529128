"""One real strict build of the repository, shared by the tests that read built pages."""

from pathlib import Path

import pytest

from scripts.docs_checks import ROOT
from tests.docs.test_build import mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("built") / "site"
    result = mkdocs_build(ROOT, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir
