"""Lighter code blocks: Pygments' spans that change nothing on screen are dropped.

Pygments wraps every token in a span, and on the pages with the most code
those spans are two thirds of the page's elements: the style and layout a
phone computes on load grow with them (README, "Phones"). Names (`n`) and
whitespace (`w`) are a third of them, and Material gives them the code's own
colour and font in both schemes; tests/browser/test_phone.py checks that they
still would.
"""

from __future__ import annotations

import re

UNSTYLED_TOKEN_CLASSES = ("n", "w")
# Only Pygments writes these one-letter classes: in code blocks, nbconvert's cells and
# highlighted inline code, which Material colours alike (`.highlight .n`).
UNSTYLED_TOKEN_RE = re.compile(rf'<span class="(?:{"|".join(UNSTYLED_TOKEN_CLASSES)})">([^<]*)</span>')


def on_page_content(html, **kwargs):
    return UNSTYLED_TOKEN_RE.sub(r"\1", html)
