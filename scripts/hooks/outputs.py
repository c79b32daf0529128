"""What the page's code printed, under each block, and the "run it yourself" buttons.

The outputs come from the page's recorded run (outputs/<page>.json, written
by `scripts/dev outputs`; scripts/page_runs.py), never from the Markdown:
under each Python block that printed or raised, an "Output" box; in the prose,
`[[output:snippets/x.py:section]]` (or `…:section:2` for one line) quotes the
output of the block that includes that section. A block whose code changed
since its output was recorded is a warning, so `mkdocs build --strict` fails.

Every page with code gets "Open in Colab", "View on GitHub" and "Download
notebook" buttons for its notebook (scripts/page_notebooks.py).
"""

from __future__ import annotations

import html as html_lib
import logging
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # MkDocs loads hooks by path

from mkdocs.exceptions import PluginError

from scripts import i18n, matrix, page_code, page_notebooks, page_runs
from scripts.docs_checks import _relative
from scripts.hooks import page_language

log = logging.getLogger("mkdocs.hooks.outputs")
MACRO_RE = re.compile(r"\[\[output:(?P<path>[^:\]]+):(?P<section>[^:\]]+)(?::(?P<line>\d+))?\]\]")
WORDS = i18n.WordsByLanguage("outputs")


def on_page_markdown(markdown, page, config, files, **kwargs):
    source = Path(page.file.abs_src_path)
    language = page_language(page, config)
    notebook = page_notebooks.notebook_for(source, language)
    page.run_notebook = notebook if notebook and files.get_file_from_path(notebook) else None
    if page.run_notebook is None and notebook:
        log.warning(f"{page.file.src_uri}: its notebook {notebook} is missing; run `scripts/dev outputs`")
    try:
        return _with_outputs(markdown, page, source, language)
    except page_code.PageCodeError as error:  # a contributor's mistake: its message names the file and the fix
        raise PluginError(str(error)) from None


def _with_outputs(markdown, page, source, language):
    blocks = page_code.read_blocks(source, text=markdown)
    if not blocks and "[[output:" not in markdown:
        return markdown
    # MkDocs passes the page without its front matter: messages give the file's lines.
    offset = source.read_text(encoding="utf-8").count("\n") - markdown.count("\n")
    file_lines = {block.number: block.line for block in page_code.read_blocks(source)}
    record = page_runs.record_for(source.stem, blocks)
    if blocks and not record:
        log.warning(
            f"{page.file.src_uri}: its code has no recorded run ({_relative(page_runs.record_path(source.stem))}); "
            f"run `{page_runs.REFRESH_COMMAND}`"
        )
    shown = page_runs.shown_outputs(blocks, language, source, record)
    others = page_runs.differing_outputs(blocks, language, source, record)
    page.run_versions = sorted(
        {
            f"{name} {version}"
            for run in record.get("runs", {}).values()
            for name, version in run.get("versions", {}).items()
        }
    )
    lines = markdown.split("\n")
    for number, line in enumerate(lines):
        if "[[output:" in line:
            at = number + 1 + offset
            lines[number] = MACRO_RE.sub(lambda m, at=at: _quote(m, blocks, shown, page, at), line)
    for block in reversed(blocks):
        output = shown.get(block.number)
        where = f"{page.file.src_uri}:{file_lines.get(block.number, block.line + offset)}"
        if output is None and record:
            log.warning(f"{where}: block {block.number} has no recorded output; run `{page_runs.REFRESH_COMMAND}`")
            continue
        if output is None:
            continue
        if output.stale:
            log.warning(
                f"{where}: block {block.number} changed since its output was recorded; "
                f"run `{page_runs.REFRESH_COMMAND}`"
            )
        text = output.raised or output.stdout.rstrip("\n")
        printed_on = WORDS[language]["printed_on"]
        for generation, other in reversed(others.get(block.number, [])):
            label = matrix.GENERATIONS[generation]["label"]
            lines[block.end : block.end] = _box(other, printed_on.format(label=label), block.indent)
        if text:
            title = WORDS[language]["raised" if output.raised else "printed"]
            if block.number in others:  # then each box names the generation that printed it
                title = printed_on.format(label=matrix.GENERATIONS[output.run.split("@")[1]]["label"])
            lines[block.end : block.end] = _box(text, title, block.indent)
    return "\n".join(lines)


def _quote(match, blocks, shown, page, line) -> str:
    wanted = (match["path"], match["section"])
    block = next((b for b in blocks if wanted in b.includes), None)
    if block is None or block.number not in shown:
        sections = sorted({f"{path}:{section}" for b in blocks if b.number in shown for path, section in b.includes})
        raise PluginError(
            f"{page.file.src_uri}:{line}: {match[0]} quotes no block of this page"
            + (" that has a recorded output" if block else f" that includes {wanted[0]}:{wanted[1]}")
            + f". Quote one of: {', '.join(sections) or '(no recorded block)'}; "
            f"record with `{page_runs.REFRESH_COMMAND}`."
        )
    output = shown[block.number]
    text = (output.raised or output.stdout).rstrip("\n")
    if match["line"]:
        chosen = text.split("\n")
        index = int(match["line"])
        if not 1 <= index <= len(chosen):
            raise PluginError(
                f"{page.file.src_uri}:{line}: {match[0]} asks for line {index}, "
                f"but that output has {len(chosen)} line(s): {text!r}"
            )
        text = chosen[index - 1]
    if "\n" in text:
        raise PluginError(
            f"{page.file.src_uri}:{line}: {match[0]} is {text.count(chr(10)) + 1} lines long; "
            "quote one line with `:N` at the end"
        )
    return text


def _box(text: str, title: str, indent: str) -> list[str]:
    fence = "````" if "```" in text else "```"
    return [
        "",
        f'{indent}{fence}text title="{title}"',
        *[f"{indent}{row}" if row else "" for row in text.split("\n")],
        f"{indent}{fence}",
    ]


def on_page_content(html, page, config, files, **kwargs):
    """The buttons go right under the page's title."""
    notebook = getattr(page, "run_notebook", None)
    if not notebook:
        return html
    words = WORDS[page_language(page, config)]
    links = page_notebooks.links(notebook, config.repo_url)
    download = files.get_file_from_path(notebook).url_relative_to(page.file)
    buttons = (
        f'<a class="md-button run-link" href="{html_lib.escape(links["colab"])}">{words["colab"]}</a> '
        f'<a class="md-button run-link" href="{html_lib.escape(links["github"])}">{words["github"]}</a> '
        f'<a class="md-button run-link" href="{html_lib.escape(download)}" download>{words["download"]}</a>'
    )
    row = f'<p class="run-links">{buttons}</p>'
    if getattr(page, "run_versions", None):
        row += f'<p class="run-note">{words["recorded"].format(versions=", ".join(page.run_versions))}</p>'
    title_end = html.find("</h1>")
    if title_end < 0:
        return row + html
    title_end += len("</h1>")
    return html[:title_end] + row + html[title_end:]
