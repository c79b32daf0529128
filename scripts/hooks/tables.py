"""Narrow screens: each table cell carries its column's name, so that wide tables
can become one card per row (docs/assets/stylesheets/extra.css) and still say
which column each value belongs to ("Keras 3", "Keras 2"...)."""

from __future__ import annotations

import html
import re

TABLE_RE = re.compile(r"<table>(.*?)</table>", re.S)
HEADER_RE = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
ROW_RE = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL_RE = re.compile(r"<td(?=[ >])")
TAG_RE = re.compile(r"<[^>]+>")


def on_page_content(content, page, config, files, **kwargs):
    return TABLE_RE.sub(_labelled, content) if "<table>" in content else content


def _labelled(table: re.Match) -> str:
    inner = table[1]
    head, _, body = inner.partition("</thead>")
    labels = [html.escape(html.unescape(TAG_RE.sub("", cell)).strip(), quote=True) for cell in HEADER_RE.findall(head)]
    if not body or not labels:
        return table[0]

    def row(match: re.Match) -> str:
        names = iter(labels)
        return "<tr>" + CELL_RE.sub(lambda cell: f'<td data-label="{next(names, "")}"', match[1]) + "</tr>"

    return f"<table>{head}</thead>{ROW_RE.sub(row, body)}</table>"
