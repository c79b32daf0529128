"""What the offline build needs: a local iframe-worker shim, and the archive link."""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

import mkdocs.plugins
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from scripts.hooks import ARCHIVE_NAME, ARCHIVE_URI, ROOT

IFRAME_WORKER_SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
IFRAME_WORKER_URI = "assets/javascripts/iframe-worker.js"


def is_offline_build(config) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


@mkdocs.plugins.event_priority(50)  # before the offline plugin's own on_config
def on_config(config, **kwargs):
    """Offline, search runs its worker through the pinned iframe-worker shim.

    Listed in extra.polyfills, the shim keeps the offline plugin from adding
    unpkg.com's copy. The hosted site does not load it: real workers run there.
    """
    if is_offline_build(config):
        config.extra["polyfills"] = [*config.extra.get("polyfills", []), IFRAME_WORKER_URI]
    return config


@mkdocs.plugins.event_priority(-200)  # after static-i18n rebuilt the files
def on_files(files, config, **kwargs):
    """Serve the shim (offline) or the offline archive (hosted) from the site itself."""
    if is_offline_build(config):
        if not IFRAME_WORKER_SHIM.is_file():
            raise PluginError(
                f"{IFRAME_WORKER_SHIM.relative_to(ROOT)} is missing: run `npm ci` "
                "(scripts/dev does it) to install the pinned iframe-worker shim."
            )
        files.append(File.generated(config, IFRAME_WORKER_URI, abs_src_path=str(IFRAME_WORKER_SHIM)))
        return files
    archive = os.environ.get("OFFLINE_ARCHIVE")
    if archive:
        files.append(File.generated(config, ARCHIVE_URI, abs_src_path=archive))
    else:
        files.append(File.generated(config, ARCHIVE_URI, content=_placeholder_archive()))
    return files


def _placeholder_archive() -> bytes:
    """What a development build links to: the real archive needs `scripts/dev build`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            # A fixed date: builds of the same sources are the same bytes.
            zipfile.ZipInfo("README.txt", date_time=(1980, 1, 1, 0, 0, 0)),
            "This development build does not contain the offline site.\n"
            "Run `scripts/dev build` to produce the real archive.\n",
        )
    return buffer.getvalue()


def on_page_markdown(markdown, page, config, **kwargs):
    """Offline, drop the section linking to the archive.

    The offline site is that archive: its "Read offline" section would link
    to a file it cannot contain.
    """
    if not is_offline_build(config) or ARCHIVE_NAME not in markdown:
        return markdown
    sections = re.split(r"(?m)^(?=## )", markdown)
    return "".join(section for section in sections if ARCHIVE_NAME not in section)
