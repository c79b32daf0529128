"""Integrity checks for the bilingual docs, shared by the MkDocs hook and tests.

Every check returns a list of ``Problem``s. Each names the file and line and
says how to fix the mistake, so that a contributor who breaks a rule reads
what to do instead of finding a silently missing block or page.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from scripts import i18n

ROOT = Path(__file__).resolve().parent.parent
# The locales under the i18n plugin's `languages:` in mkdocs.yml, default first.
LANGUAGES = i18n.languages(ROOT)
PAGE_SUFFIXES = (".md", ".ipynb")

# `--8<-- "snippets/file.py:section"` inside a fence.
INCLUDE_RE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<path>[^":]+)(?::(?P<section>[^"]+))?"\s*$')
SECTION_RE = re.compile(r"#\s*-{1,}8<-{1,}\s*\[(?P<kind>start|end):(?P<name>[^\]]+)\]")
FENCE_RE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING_RE = re.compile(r"^(?P<level>#{1,6})\s+\S")
# A page line `[[notebook:name.ipynb]]`: the executed notebook next to the page, rendered there.
NOTEBOOK_MARKER_RE = re.compile(r"(?m)^\[\[notebook:(?P<name>[\w.-]+\.ipynb)\]\]$")
PYTHON_LANGS = {"python", "py", "python3", "pycon", "ipython"}


@dataclasses.dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = _relative(self.path) + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}"


@dataclasses.dataclass(frozen=True)
class Include:
    line: int
    path: str
    section: str | None
    title: str | None


@dataclasses.dataclass(frozen=True)
class Fence:
    line: int
    language: str
    info: str
    body: list[str]


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def read_fences(text: str) -> list[Fence]:
    """Fenced code blocks of a Markdown text, with their 1-based line."""
    fences: list[Fence] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE_RE.match(lines[i])
        if not match:
            i += 1
            continue
        marker = match["fence"]
        info = match["info"].strip()
        language = info.split()[0].lstrip(".{").lower() if info else ""
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(marker):
            body.append(lines[j])
            j += 1
        fences.append(Fence(line=i + 1, language=language, info=info, body=body))
        i = j + 1
    return fences


def lines_outside_fences(text: str) -> list[tuple[int, str]]:
    inside = None
    kept = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE_RE.match(line)
        if inside is None and match:
            inside = match["fence"]
        elif inside is not None and line.strip().startswith(inside):
            inside = None
        elif inside is None:
            kept.append((number, line))
    return kept


def read_includes(text: str) -> list[Include]:
    includes = []
    for fence in read_fences(text):
        title = re.search(r'title="([^"]*)"', fence.info)
        for offset, line in enumerate(fence.body, start=1):
            match = INCLUDE_RE.match(line)
            if match:
                includes.append(
                    Include(
                        line=fence.line + offset,
                        path=match["path"],
                        section=match["section"],
                        title=title[1] if title else None,
                    )
                )
    return includes


def read_headings(text: str) -> list[tuple[int, int]]:
    """(line, level) of each Markdown heading outside code fences."""
    return [
        (number, len(match["level"]))
        for number, line in lines_outside_fences(text)
        if (match := HEADING_RE.match(line))
    ]


def section_markers(path: Path):
    """(line, "start" or "end", name) for each section marker of a snippet."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = SECTION_RE.search(line)
        if match:
            yield number, match["kind"], match["name"]


def snippet_sections(path: Path) -> dict[str, int]:
    """Section name -> line of its start marker, for sections that also end."""
    starts = {name: number for number, kind, name in section_markers(path) if kind == "start"}
    ends = {name for _, kind, name in section_markers(path) if kind == "end"}
    return {name: line for name, line in starts.items() if name in ends}


def check_snippet_markers(snippets_dir: Path) -> list[Problem]:
    problems = []
    for path in sorted(snippets_dir.glob("*.py")):
        starts: dict[str, int] = {}
        ends: dict[str, int] = {}
        for number, kind, name in section_markers(path):
            target = starts if kind == "start" else ends
            if name in target:
                problems.append(Problem(path, number, f"section '{name}' is marked twice; rename one of them."))
            target[name] = number
        for name in starts.keys() - ends.keys():
            problems.append(
                Problem(path, starts[name], f"section '{name}' has no `# --8<-- [end:{name}]` marker; add one.")
            )
        for name in ends.keys() - starts.keys():
            problems.append(
                Problem(path, ends[name], f"section '{name}' has no `# --8<-- [start:{name}]` marker; add one.")
            )
        for name in starts.keys() & ends.keys():
            if ends[name] < starts[name]:
                problems.append(
                    Problem(path, ends[name], f"section '{name}' ends before it starts; swap its markers.")
                )
    return problems


def markdown_pages(docs_dir: Path, language: str) -> list[Path]:
    return sorted((docs_dir / language).rglob("*.md"))


def check_includes(docs_dir: Path, root: Path = ROOT) -> list[Problem]:
    """Every include names an existing snippet file and section, with its title."""
    problems = []
    for language in LANGUAGES:
        for page in markdown_pages(docs_dir, language):
            for include in read_includes(page.read_text(encoding="utf-8")):
                target = root / include.path
                if not include.path.startswith("snippets/"):
                    problems.append(
                        Problem(page, include.line, f"include '{include.path}' is outside snippets/; "
                                "move the code into a snippets/ module.")
                    )
                    continue
                if not target.is_file():
                    problems.append(
                        Problem(page, include.line, f"snippet file '{include.path}' does not exist; "
                                "fix the path or create the module in snippets/.")
                    )
                    continue
                if include.section is None:
                    problems.append(
                        Problem(page, include.line, f"include of '{include.path}' names no section; "
                                f"use \"{include.path}:<section>\" so the page shows only what it teaches.")
                    )
                    continue
                sections = snippet_sections(target)
                if include.section not in sections:
                    known = ", ".join(sorted(sections)) or "none"
                    problems.append(
                        Problem(page, include.line, f"section '{include.section}' not found in "
                                f"'{include.path}' (sections: {known}); add "
                                f"`# --8<-- [start:{include.section}]` and `[end:{include.section}]` "
                                "markers to the snippet or fix the name.")
                    )
                # The path, then optionally a parenthesis: "snippets/x.py (excerpt)".
                if not re.fullmatch(re.escape(include.path) + r"( \([^()]+\))?", include.title or ""):
                    problems.append(
                        Problem(page, include.line, f"the fence including '{include.path}' must carry "
                                f'title="{include.path}" so readers see where the code lives.')
                    )
    return problems


EXCERPT_HEAD_RE = re.compile(r"^class (?P<name>\w+)\b.*:$")


def excerpt_problem(code: list[str], root: Path = ROOT) -> str | bool | None:
    """An excerpt is `class X(Base):`, `...`, then indented includes of sections inside class X.

    False: not an excerpt. None: a correct one. A string: what is wrong with it.
    """
    margin = min(len(line) - len(line.lstrip()) for line in code) if code else 0
    code = [line[margin:] for line in code]  # a fence inside a tab or a box is indented
    head = EXCERPT_HEAD_RE.match(code[0]) if len(code) >= 3 else None
    if not head or not re.fullmatch(r"\.\.\.(\s+#.*)?", code[1].strip()):
        return False
    if not all(INCLUDE_RE.match(line) and line[:1] == " " for line in code[2:]):
        return False
    for line in code[2:]:
        include = INCLUDE_RE.match(line)
        path = root / include["path"]
        if not path.is_file():
            return None  # check_includes reports it
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(
            (n for n, text in enumerate(lines) if (m := SECTION_RE.search(text)) and m["name"] == include["section"]),
            None,
        )
        if start is None:
            return None
        owner = next((text for text in reversed(lines[:start]) if text.startswith("class ")), None)
        if owner is None or owner.strip() != code[0].strip():
            found = f", `{owner.strip()}`." if owner else ", but that section is in no class."
            return (f"excerpt: its first line `{code[0].strip()}` must be the line that opens the class holding "
                    f"{include['path']}:{include['section']}{found}")
    return None


def check_inline_python(docs_dir: Path) -> list[Problem]:
    """Python shown on a page must come from a tested snippet, never inline."""
    problems = []
    for language in LANGUAGES:
        for page in markdown_pages(docs_dir, language):
            for fence in read_fences(page.read_text(encoding="utf-8")):
                if fence.language not in PYTHON_LANGS:
                    continue
                code = [line for line in fence.body if line.strip()]
                if code and all(INCLUDE_RE.match(line) for line in code):
                    continue
                excerpt = excerpt_problem(code)
                if excerpt is not False:
                    if excerpt:
                        problems.append(Problem(page, fence.line, excerpt))
                    continue
                problems.append(
                    Problem(page, fence.line, "inline Python block: code on the site must be tested. "
                            "Move it into a snippets/ module between `# --8<-- [start:name]` and "
                            "`# --8<-- [end:name]` markers, test it in tests/snippets/, and include it "
                            'here with `--8<-- "snippets/<module>.py:name"`.')
                )
    return problems


def _pages_by_name(docs_dir: Path, language: str) -> set[str]:
    folder = docs_dir / language
    return {
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.suffix in PAGE_SUFFIXES and ".ipynb_checkpoints" not in path.parts
    }


def check_language_parity(docs_dir: Path) -> list[Problem]:
    """Same pages in every language, with the same headings and includes in order.

    Each language is compared with the default one (the first).
    """
    problems = []
    pages = {language: _pages_by_name(docs_dir, language) for language in LANGUAGES}
    for language in LANGUAGES:
        for other in LANGUAGES:
            for name in sorted(pages[language] - pages[other]):
                problems.append(
                    Problem(docs_dir / language / name, None,
                            f"page exists in '{language}' but not in '{other}'; add its translation "
                            f"at {_relative(docs_dir / other / name)} (same file name) so the language "
                            "switch lands on it.")
                )
    first, *others = LANGUAGES
    for second in others:
        pair = (first, second)
        for name in sorted(pages[first] & pages[second]):
            if not name.endswith(".md"):
                continue
            texts = {lang: (docs_dir / lang / name).read_text(encoding="utf-8") for lang in pair}
            includes = {lang: read_includes(texts[lang]) for lang in pair}
            keys = {lang: [(i.path, i.section) for i in includes[lang]] for lang in pair}
            if keys[first] != keys[second]:
                problems.append(_first_difference(docs_dir, name, includes, keys, "include", pair))
            headings = {lang: read_headings(texts[lang]) for lang in pair}
            levels = {lang: [level for _, level in headings[lang]] for lang in pair}
            if levels[first] != levels[second]:
                problems.append(_first_difference(docs_dir, name, headings, levels, "heading", pair))
    return problems


def _first_difference(docs_dir, name, items, keys, what, pair) -> Problem:
    first, second = pair
    index = next(
        (i for i, (a, b) in enumerate(zip(keys[first], keys[second])) if a != b),
        min(len(keys[first]), len(keys[second])),
    )
    lines = {}
    for lang in pair:
        entry = items[lang][index] if index < len(items[lang]) else None
        lines[lang] = (entry.line if isinstance(entry, Include) else entry[0]) if entry else None

    def describe(lang):
        if index >= len(keys[lang]):
            return f"{lang}: nothing"
        key = keys[lang][index]
        return f"{lang}: " + (f"{key[0]}:{key[1]}" if what == "include" else f"level-{key} heading") + (
            f" at line {lines[lang]}" if lines[lang] else "")

    return Problem(
        docs_dir / second / name,
        lines[second],
        f"{what}s differ from {_relative(docs_dir / first / name)} at {what} #{index + 1} "
        f"({describe(first)}; {describe(second)}); every language must show the same "
        f"{what}s in the same order.",
    )


def used_sections(docs_dir: Path, language: str) -> set[tuple[str, str]]:
    used = set()
    for page in markdown_pages(docs_dir, language):
        for include in read_includes(page.read_text(encoding="utf-8")):
            if include.section:
                used.add((include.path, include.section))
    return used


def check_unused_sections(source_dirs: list[Path], snippets_dir: Path) -> list[Problem]:
    """Every snippet section is shown in every language, on a page or a notebook."""
    problems = []
    for language in LANGUAGES:
        used = set().union(*(used_sections(folder, language) for folder in source_dirs))
        for path in sorted(snippets_dir.glob("*.py")):
            relative = f"snippets/{path.name}"
            for section, line in snippet_sections(path).items():
                if (relative, section) not in used:
                    problems.append(
                        Problem(path, line, f"section '{section}' is not shown on any '{language}' page; "
                                f'include it with `--8<-- "{relative}:{section}"` or delete its markers.')
                    )
    return problems


def check_notebook_pages(docs_dir: Path) -> list[Problem]:
    """Every executed notebook is shown by one page, and every marker finds its notebook."""
    problems = []
    for language in LANGUAGES:
        folder = docs_dir / language
        shown = set()
        for page in sorted(folder.glob("*.md")):
            text = page.read_text(encoding="utf-8")
            for match in NOTEBOOK_MARKER_RE.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                if (folder / match["name"]).is_file():
                    shown.add(match["name"])
                else:
                    problems.append(Problem(page, line, f"no notebook {_relative(folder / match['name'])} to show; "
                                            "build it with `scripts/dev notebooks` from notebooks/<lang>/."))
        for notebook in sorted(folder.glob("*.ipynb")):
            if notebook.name not in shown:
                problems.append(Problem(notebook, None, "no page shows this notebook; add "
                                        f"{_relative(notebook.with_suffix('.md'))} with the line "
                                        f"`[[notebook:{notebook.name}]]` (and a description in its front matter)."))
    return problems


FRONT_MATTER_RE = re.compile(r"\A---\n(?P<body>.*?\n)---\n", re.S)


def page_title(path: Path) -> str:
    """The page's first level-1 heading (front matter left out: its YAML comments start with `# ` too)."""
    text = FRONT_MATTER_RE.sub("", path.read_text(encoding="utf-8"), count=1)
    return next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)


def check_front_matter(docs_dir: Path) -> list[Problem]:
    """Front matter is a YAML mapping: otherwise MkDocs shows it as page text, silently."""
    import yaml

    problems = []
    for language in LANGUAGES:
        for page in markdown_pages(docs_dir, language):
            match = FRONT_MATTER_RE.match(page.read_text(encoding="utf-8"))
            if not match:
                continue
            try:
                meta = yaml.safe_load(match["body"])
                error = None if isinstance(meta, dict) else "it is not a mapping of `key: value` lines"
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                error = f"{getattr(exc, 'problem', None) or exc} (line {mark.line + 2})" if mark else str(exc)
            if error:
                problems.append(Problem(page, 1, f"the front matter is not valid YAML: {error}; MkDocs would "
                                        'show it as text. Quote a value that contains ": " (description: "…").'))
    return problems


def all_problems(docs_dir: Path = ROOT / "docs", root: Path = ROOT) -> list[Problem]:
    """Every check, over the pages (docs/) and the notebook sources (notebooks/)."""
    snippets_dir = root / "snippets"
    notebooks_dir = root / "notebooks"
    sources = [docs_dir, notebooks_dir]
    problems = [*check_snippet_markers(snippets_dir)]
    for source_dir in sources:
        problems += check_includes(source_dir, root)
        problems += check_inline_python(source_dir)
    problems += check_front_matter(docs_dir)
    problems += check_language_parity(docs_dir)
    problems += check_language_parity(notebooks_dir)
    problems += check_notebook_pages(docs_dir)
    problems += check_unused_sections(sources, snippets_dir)
    from scripts import glossary

    problems += glossary.check(sources, root)
    if (root / "claims.yml").is_file():
        from scripts import claims

        problems += claims.check_registry(claims.load(root / "claims.yml"), docs_dir, root)
    return problems


if __name__ == "__main__":
    import sys

    found = all_problems()
    for problem in found:
        print(problem, file=sys.stderr)
    sys.exit(1 if found else 0)
