"""A page's Python code as the reader sees it: its blocks in reading order.

Each ```python fence of a page becomes a `Block`, with its snippet includes
expanded the way pymdownx.snippets renders them (markers out, sections
dedented, then indented like the include line), the nearest heading above it,
and the tabs it sits in. A test (tests/docs/test_page_runs.py) checks that the
expansion here equals pymdownx's own, so what runs is what the reader sees.

Tabs are alternatives. A page's *variants* are the readers' paths through it:
one per tab label, where each tab group shows the tab of that label (or, in a
group without it, the tab closest to it). scripts/matrix.py says which
generations and backends a label promises; scripts/page_runs.py runs each
variant under each of them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from scripts import i18n, matrix
from scripts.docs_checks import FENCE_RE, INCLUDE_RE, PYTHON_LANGS, ROOT, SECTION_RE, Problem, _relative

TAB_RE = re.compile(r'^(?P<indent>\s*)===\+?\s+"(?P<label>[^"]+)"\s*$')
HEADING_TEXT_RE = re.compile(r"^#{1,6}\s+(?P<text>.*?)\s*(?:\{[^}]*\})?\s*$")
# An excerpt is a class line, then `...`, then some of the class's members:
# the runner adds the members to the class as the page has shown it so far.
EXCERPT_RE = re.compile(r"\Aclass (?P<name>\w+)\b[^\n]*:\n(?P<indent>[ ]+)\.\.\.(?:[ ]+#[^\n]*)?\n")
# A block that shows a failing form on purpose names its exception on the line that raises it.
RAISES_RE = re.compile(r"#\s*raises:\s*(?P<exception>[\w.]+)")


class PageCodeError(ValueError):
    """A page whose code cannot be read: names the file and line, and the fix."""


@dataclass(frozen=True)
class Block:
    number: int  # 1-based, in page order
    line: int  # the fence's line in the page
    end: int  # its closing fence's line
    indent: str  # the fence's indentation (inside tabs and boxes)
    code: str
    origins: tuple[tuple[str, int], ...]  # (file, line) of each code line
    heading: str
    tabs: tuple[tuple[int, str], ...]  # (tab group, label) of each enclosing tab
    includes: tuple[tuple[str, str | None], ...] = field(default=())

    @property
    def excerpt_of(self) -> str | None:
        match = EXCERPT_RE.match(self.code)
        return match["name"] if match else None

    def raises(self) -> tuple[str, int] | None:
        """(exception name, 1-based line in the block) that the block declares, if any."""
        for number, line in enumerate(self.code.splitlines(), start=1):
            match = RAISES_RE.search(line)
            if match:
                return match["exception"], number
        return None

    def where(self, line_in_block: int | None = None) -> str:
        text = f"block {self.number} (page line {self.line}, under “{self.heading}”)"
        if line_in_block and 0 < line_in_block <= len(self.origins):
            path, number = self.origins[line_in_block - 1]
            text += f", line {line_in_block}: {path}:{number}"
        return text


def section_lines(path: Path, section: str | None, root: Path = ROOT) -> list[tuple[str, int]]:
    """(text, line) of a snippet section as pymdownx.snippets inserts it: markers out, dedented."""
    # Every build reads each section once per page and language that shows it: read the file once
    # per version of it (`mkdocs serve` edits it between builds).
    return list(_section_lines(path, section, *_stamp(path)))


@functools.lru_cache(maxsize=1024)
def _section_lines(path: Path, section: str | None, mtime_ns: int, size: int) -> tuple[tuple[str, int], ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    start, end = 0, len(lines)
    if section is not None:
        starts = [
            n
            for n, line in enumerate(lines)
            if (m := SECTION_RE.search(line)) and m["name"] == section and m["kind"] == "start"
        ]
        ends = [
            n
            for n, line in enumerate(lines)
            if (m := SECTION_RE.search(line)) and m["name"] == section and m["kind"] == "end"
        ]
        if not starts or not ends:
            raise PageCodeError(f"{_relative(path)}: no section '{section}'")
        start, end = starts[0] + 1, ends[0]
    kept = [
        (line, number + 1) for number, line in enumerate(lines[start:end], start=start) if not SECTION_RE.search(line)
    ]
    indents = [len(text) - len(text.lstrip()) for text, _ in kept if text.strip()]
    cut = min(indents, default=0) if section is not None else 0
    kept = [(text[cut:] if text.strip() else "", number) for text, number in kept]
    while kept and not kept[0][0].strip():
        kept.pop(0)
    while kept and not kept[-1][0].strip():
        kept.pop()
    return tuple(kept)


def _expand(body: list[str], page: Path, first_line: int, root: Path) -> tuple[list[str], list[tuple[str, int]], list]:
    code, origins, includes = [], [], []
    for offset, line in enumerate(body):
        match = INCLUDE_RE.match(line)
        if not match:
            code.append(line)
            origins.append((_relative(page), first_line + offset))
            continue
        prefix = line[: len(line) - len(line.lstrip())]
        path = root / match["path"]
        if not path.is_file():
            raise PageCodeError(f"{_relative(page)}:{first_line + offset}: no file {match['path']}")
        includes.append((match["path"], match["section"]))
        for text, number in section_lines(path, match["section"], root):
            code.append(prefix + text if text else "")
            origins.append((match["path"], number))
    return code, origins, includes


def read_blocks(page: Path, root: Path = ROOT, text: str | None = None) -> list[Block]:
    """The page's Python blocks in reading order, includes expanded (`text`: the page as MkDocs passes it)."""
    text = page.read_text(encoding="utf-8") if text is None else text
    # A build asks several times per page and language; the answer holds while the page's
    # text and the files it includes are unchanged.
    key = (page, root, text)
    known = _read_blocks_cache.get(key)
    if known is not None and all(_stamp(path) == stamp for path, stamp in known[1]):
        return list(known[0])
    blocks = _read_blocks(page, root, text)
    included = {root / path for block in blocks for path, _ in block.includes}
    if len(_read_blocks_cache) > 512:
        _read_blocks_cache.clear()
    _read_blocks_cache[key] = (tuple(blocks), tuple((path, _stamp(path)) for path in sorted(included)))
    return blocks


_read_blocks_cache: dict = {}


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _read_blocks(page: Path, root: Path, text: str) -> list[Block]:
    lines = text.splitlines()
    blocks: list[Block] = []
    tabs: list[tuple[int, int, str]] = []  # (indent, group, label)
    open_groups: dict[int, int] = {}  # indent -> group id still open there
    groups = 0
    heading = page.stem
    i = 0
    while i < len(lines):
        line = lines[i]
        indent = len(line) - len(line.lstrip())
        if line.strip():
            tab = TAB_RE.match(line)
            while tabs and tabs[-1][0] >= indent:
                tabs.pop()
            for level in [level for level in open_groups if level > indent or (level == indent and not tab)]:
                del open_groups[level]
            if tab:
                if indent not in open_groups:
                    groups += 1
                    open_groups[indent] = groups
                tabs.append((indent, open_groups[indent], tab["label"]))
            elif indent == 0 and (match := HEADING_TEXT_RE.match(line)):
                heading = match["text"]
        fence = FENCE_RE.match(line)
        if not fence:
            i += 1
            continue
        marker, info = fence["fence"], fence["info"].strip()
        language = info.split()[0].lstrip(".{").lower() if info else ""
        body, j = [], i + 1
        while j < len(lines) and not lines[j].strip().startswith(marker):
            body.append(lines[j][len(fence["indent"]) :] if lines[j].strip() else "")
            j += 1
        if language in PYTHON_LANGS:
            code, origins, includes = _expand(body, page, i + 2, root)
            blocks.append(
                Block(
                    number=len(blocks) + 1,
                    line=i + 1,
                    end=j + 1,
                    indent=fence["indent"],
                    code="\n".join(code) + "\n",
                    origins=tuple(origins),
                    heading=heading,
                    tabs=tuple((group, label) for _, group, label in tabs),
                    includes=tuple(includes),
                )
            )
        i = j + 1
    return blocks


@functools.cache
def tab_keys(language: str) -> dict[str, str]:
    """Tab label, as the pages of this language write it -> its key in scripts/matrix.py's TABS."""
    return {label: key for key, label in i18n.words(language).get("tabs", {}).items()}


def tab_key(label: str, language: str, page: Path) -> str:
    keys = tab_keys(language)
    if label not in keys:
        known = ", ".join(f'"{name}"' for name in keys)
        raise PageCodeError(
            f'{_relative(page)}: tab "{label}" promises no generation. Use one of {known}, '
            f"or add the label to i18n/{language}.yml (`tabs:`) and scripts/matrix.py (TABS)"
        )
    return keys[label]


@dataclass(frozen=True)
class Variant:
    name: str  # the tab key, or "page" for a page without tabs
    generation: str
    blocks: tuple[Block, ...]


def variants(blocks: list[Block], language: str, page: Path) -> list[Variant]:
    """Every reader's path through the page's tabs, under each generation its tab promises."""
    keys = []
    for block in blocks:
        for _, label in block.tabs:
            key = tab_key(label, language, page)
            if key not in keys:
                keys.append(key)
    if not keys:
        return [Variant("page", matrix.DEFAULT_GENERATION, tuple(blocks))]
    result, seen = [], set()
    for key in keys:
        promised = matrix.TABS[key]
        chosen = _choose_tabs(blocks, key, promised, language, page)
        for generation in promised:
            signature = (tuple(block.number for block in chosen), generation)
            if signature not in seen:
                seen.add(signature)
                result.append(Variant(key, generation, chosen))
    return result


def _choose_tabs(blocks, key, promised, language, page) -> tuple[Block, ...]:
    """In each tab group, the tab labelled `key`, else the first that shares one of its generations, else the first."""
    labels_of_group: dict[int, list[str]] = {}
    for block in blocks:
        for group, label in block.tabs:
            labels_of_group.setdefault(group, [])
            if label not in labels_of_group[group]:
                labels_of_group[group].append(label)
    picked = {}
    for group, labels in labels_of_group.items():
        keyed = {tab_key(label, language, page): label for label in labels}
        if key in keyed:
            picked[group] = keyed[key]
            continue
        sharing = [label for k, label in keyed.items() if set(matrix.TABS[k]) & set(promised)]
        picked[group] = (sharing or labels)[0]
    return tuple(block for block in blocks if all(picked[group] == label for group, label in block.tabs))


def pages(docs_dir: Path = ROOT / "docs") -> dict[str, dict[str, Path]]:
    """slug -> {language: page} for every Markdown page that shows Python code."""
    found: dict[str, dict[str, Path]] = {}
    for language in i18n.languages():
        for page in sorted((docs_dir / language).glob("*.md")):
            if read_blocks(page):
                found.setdefault(page.stem, {})[language] = page
    return found


def language_problems(slug: str, by_language: dict[str, Path]) -> list[Problem]:
    """Languages share a page's run only if their pages show the same code, in the same tabs."""
    problems = []
    reference_language, reference = next(iter(by_language.items()))
    expected = [
        (b.code, tuple(tab_key(label, reference_language, reference) for _, label in b.tabs))
        for b in read_blocks(reference)
    ]
    for language, page in by_language.items():
        shown = [(b.code, tuple(tab_key(label, language, page) for _, label in b.tabs)) for b in read_blocks(page)]
        if shown == expected:
            continue
        for number, (mine, theirs) in enumerate(zip(shown, expected), start=1):
            if mine != theirs:
                block = read_blocks(page)[number - 1]
                problems.append(
                    Problem(
                        page,
                        block.line,
                        f"block {number} differs from {_relative(reference)}'s block {number}: "
                        "both languages must show the same code in the same tabs (they share one run)",
                    )
                )
                break
        else:
            problems.append(
                Problem(page, 1, f"{len(shown)} Python blocks, against {len(expected)} in {_relative(reference)}")
            )
    return problems
