"""The publishing build: the offline site, zipped, inside the hosted site.

    python -m scripts.publish                 # site/ = hosted site + offline zip
    python -m scripts.publish --offline-only  # site/ = offline site (file://)

Both builds are strict. Notebooks are not executed here: their committed
outputs must match the snippets (see scripts/notebooks.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from scripts import claims, notebooks
from scripts.docs_checks import ROOT
from scripts.hooks import ARCHIVE_NAME

ARCHIVE_ROOT = "custom-tensorflow-layers"


def mkdocs_build(site_dir: Path, **env: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        check=True,
    )


def build_offline(site_dir: Path, **env: str) -> None:
    mkdocs_build(site_dir, OFFLINE="true", **env)
    remove_offline_404(site_dir)


def remove_offline_404(site_dir: Path) -> None:
    """file:// never serves a 404 page, and its root-absolute links break there."""
    (site_dir / "404.html").unlink(missing_ok=True)


def zip_site(site_dir: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(site_dir.rglob("*")):
            if path.is_file():
                bundle.write(path, f"{ARCHIVE_ROOT}/{path.relative_to(site_dir).as_posix()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offline-only", action="store_true", help="build only the offline site")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    args = parser.parse_args(argv)

    stale = notebooks.check()
    if stale:
        print("\n".join(map(str, stale)), file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as workdir:
        # The verdicts and "Tested with" stamps come from this very run.
        results = Path(workdir) / "claims"
        if claims.main(["run", str(results)]) != 0:
            return 1
        if args.offline_only:
            build_offline(args.site_dir, CLAIMS_RESULTS=str(results))
            print(f"Offline site: open {args.site_dir / 'index.html'} in a browser.")
            return 0
        offline_site = Path(workdir) / ARCHIVE_ROOT
        build_offline(offline_site, CLAIMS_RESULTS=str(results))
        archive = Path(workdir) / ARCHIVE_NAME
        zip_site(offline_site, archive)
        if args.site_dir.exists():
            shutil.rmtree(args.site_dir)
        mkdocs_build(args.site_dir, OFFLINE_ARCHIVE=str(archive), CLAIMS_RESULTS=str(results))
    print(f"Hosted site in {args.site_dir}, with downloads/{ARCHIVE_NAME}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
