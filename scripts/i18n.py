"""The site's languages, and its own words in each, as data.

The languages are the entries under the i18n plugin's `languages:` in
mkdocs.yml: every check, the notebook builder and the hooks read them from
there, so adding a language is a folder of pages (docs/<locale>/, plus
notebooks/<locale>/) and one entry in mkdocs.yml.

The words the site itself writes (verdicts, the "Tested with" stamp, the
notebook's plot labels and printed lines...) live in i18n/<locale>.yml. A
language without that file, or a word missing from it, falls back to English
(i18n/en.yml), so a new language builds before its words are translated.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORDS_DIR = ROOT / "i18n"
FALLBACK = "en"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: `!ENV [NAME, default]` gives its default."""


def _tag(loader, suffix, node):
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if suffix == "ENV" and len(values) > 1 else None
    return None


_ConfigLoader.add_multi_constructor("!", _tag)


@functools.lru_cache(maxsize=8)
def _languages(config_path: Path, mtime_ns: int) -> tuple[str, ...]:
    config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            entries = plugin["i18n"]["languages"]
            # The default language first: the others are compared with it.
            entries = sorted(entries, key=lambda entry: not entry.get("default", False))
            return tuple(entry["locale"] for entry in entries)
    raise ValueError(f"{config_path}: no i18n plugin with `languages:`; the site needs one.")


def languages(root: Path = ROOT) -> tuple[str, ...]:
    """The configured locales, the default language first (("fr", "en"))."""
    path = root / "mkdocs.yml"
    if not path.is_file():  # a scratch tree in the tests: the repository's languages
        path = ROOT / "mkdocs.yml"
    return _languages(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _words_file(path: Path, mtime_ns: int) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _read(language: str, folder: Path) -> dict:
    path = folder / f"{language}.yml"
    return _words_file(path, path.stat().st_mtime_ns) if path.is_file() else {}


def words(language: str, folder: Path = WORDS_DIR, fallback: bool = True) -> dict:
    """The site's words in a language, English where it has none (unless `fallback=False`).

    Sections merge word by word: a language may translate part of `claims:`.
    """
    own = _read(language, folder)
    if not fallback:
        return own
    merged = dict(_read(FALLBACK, folder))
    for key, value in own.items():
        both_sections = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = {**merged[key], **value} if both_sections else value
    return merged


class WordsByLanguage:
    """`WORDS[language]["holds"]`, read from i18n/<locale>.yml (English fallback)."""

    def __init__(self, section: str):
        self.section = section

    def __getitem__(self, language: str) -> dict:
        return words(language).get(self.section, {})
