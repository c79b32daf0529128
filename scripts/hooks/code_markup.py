"""Lighter code blocks: Pygments' spans that change nothing on screen are dropped.

Pygments wraps every token in a span, and on the pages with the most code
those spans are two thirds of the page's elements: the style and layout a
phone computes on load grow with them (README, "Phones"). Names (`n`) and
whitespace (`w`) are a third of them, and Material gives them the code's own
colour and font in both schemes; tests/browser/test_pages.py checks that they
still would.
"""

from __future__ import annotations

import re

# A code block as Pygments writes it, up to its end; nbconvert's cells too (`highlight hl-ipython3`).
CODE_BLOCK_RE = re.compile(r'<div class="highlight\b[^"]*".*?</pre>', re.S)
UNSTYLED_TOKEN_CLASSES = ("n", "w")
UNSTYLED_TOKEN_RE = re.compile(rf'<span class="(?:{"|".join(UNSTYLED_TOKEN_CLASSES)})">([^<]*)</span>')


def on_page_content(html, **kwargs):
    return CODE_BLOCK_RE.sub(lambda block: UNSTYLED_TOKEN_RE.sub(r"\1", block[0]), html)
