"""Typography by the build, and the check that the built pages have it.

Contributors type ordinary spaces and straight quotes. The build typesets the
text of every page of a language whose i18n/<locale>.yml names a
`typography:` locale (scripts/hooks/typography.py calls `typeset`):

- polytypo (a maintained library, one published spec per locale) does the
  locale's rules on HTML, leaving code, pre, kbd, samp, script, style and
  every attribute alone. In French: a narrow no-break space (U+202F) before
  ; ! ?, a no-break space (U+00A0) before : and inside « », the typographic
  apostrophe ’ and French quotes; in American English, curly quotes “ ” ‘ ’.
  Its dash rule is off: the pages' own dashes are kept as written.
- Two French rules polytypo leaves alone are done here, on the same text:
  digit groups (60000 and 60 000 become 60 000, U+202F), and the space
  before punctuation right after inline code (`x`: becomes `x` :).

`violations` reads a built page the other way round and lists what is still
wrong, with some context: the tests run it on every built page.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

# Elements whose text is code or machine-read: never typeset, never checked.
SKIPPED = {"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "svg", "math"}
# Elements that end a run of text (so that text on both sides is not one word).
BLOCKS = {"p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "ul", "ol",
          "table", "section", "article", "nav", "header", "footer", "details", "summary", "aside",
          "dl", "dt", "dd", "blockquote", "figure", "figcaption", "label", "title", "head", "body",
          "html", "form", "main", "button", "input", "option", "select", "hr", "img"}
NBSP, NNBSP = "\u00a0", "\u202f"
NO_BREAK = NBSP + NNBSP
TAG_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
TAG_NAME_RE = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
# 60000, 60 000 or 60 000: five digits or more, or groups of three after 1-3 digits.
# Not part of a version, a decimal, an identifier or a longer number.
DIGITS_RE = re.compile(r"(?<![\w.,\u00a0\u202f-])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{5,})(?![\w]|[.,]\d)")
# Punctuation right after inline code: `x`: or `x`; (a colon only before a space).
AFTER_CODE_RE = re.compile(r"^([;!?]|:(?=\s))")
URL_RE = re.compile(r"\b(?:https?|file)://\S+|\b[\w.-]+@[\w.-]+\.\w+")


def _grouped(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match[1])
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return NNBSP.join(groups)


def _text_parts(html: str):
    """(is_text, piece) for the document in order; text inside SKIPPED elements counts as markup."""
    skipping: list[str] = []
    for piece in TAG_RE.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            match = TAG_NAME_RE.match(piece)
            name = match[1].lower() if match else ""
            if name in SKIPPED and not piece.startswith("</") and not piece.endswith("/>"):
                skipping.append(name)
            elif piece.startswith("</") and skipping and skipping[-1] == name:
                skipping.pop()
            yield False, piece
        else:
            yield not skipping, piece


def french_extras(html: str) -> str:
    """What polytypo leaves to us in French, in text only (not in code, tags or attributes).

    Digit groups (60 000), and the space before punctuation that follows
    inline code (`get_config()`: → `get_config()` :), where polytypo sees no
    word to attach the space to.
    """
    out = []
    after_code = False
    for is_text, piece in _text_parts(html):
        if is_text:
            piece = DIGITS_RE.sub(_grouped, piece)
            if after_code:
                piece = AFTER_CODE_RE.sub(lambda m: (NBSP if m[1] == ":" else NNBSP) + m[1], piece)
        after_code = not is_text and TAG_NAME_RE.match(piece) is not None and piece.startswith("</") and (
            TAG_NAME_RE.match(piece)[1].lower() in SKIPPED)
        out.append(piece)
    return "".join(out)


def typeset(html: str, locale: str) -> str:
    """The page's HTML with the locale's typography (see the module's docstring)."""
    from polytypo.html import transform  # imported only when a page is not in the cache

    html = transform(html, locale=locale, rules={"dashes": False})
    if locale.startswith("fr"):
        html = french_extras(html)
    return html


class _Text(HTMLParser):
    """The visible text of a page: code replaced by "▯", blocks separated by newlines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            if not self.skipping:
                self.parts.append("▯")
            self.skipping.append(tag)
        elif tag in BLOCKS and not self.skipping:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in BLOCKS and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return URL_RE.sub("▯", "".join(parts for parts in parser.parts))


# (rule, pattern) per typography locale family: a match is a violation.
RULES = {
    "fr": [
        ("narrow no-break space (U+202F) before ; ! ?", re.compile(r"[^\u202f\s;:!?(\[«][;!?]|[ \t\u00a0][;!?]")),
        ("no-break space (U+00A0) before :", re.compile(r"[^\u00a0\u202f\s:]:(?=\s|$)|[ \t]:")),
        ("no-break space after «", re.compile(r"«(?![\u00a0\u202f])")),
        ("no-break space before »", re.compile(r"(?<![\u00a0\u202f])»")),
        ("typographic apostrophe ’, not '", re.compile(r"'")),
        ("French quotes « », not \"", re.compile(r'"')),
        ("no-break space (U+202F) between digit groups (60 000)",
         re.compile(r"(?<![\w.,\u00a0\u202f-])(?:\d{1,3}(?:[ \t]\d{3})+|\d{5,})(?![\w]|[.,]\d)")),
    ],
    "en": [
        ("curly apostrophe ’, not '", re.compile(r"'")),
        ("curly quotes “ ”, not \"", re.compile(r'"')),
    ],
}


def violations(html: str, locale: str, context: int = 30) -> list[tuple[str, str]]:
    """(rule, text around it) for each typography mistake in a built page's visible text."""
    text = visible_text(html)
    found = []
    for rule, pattern in RULES.get(locale.split("-")[0], []):
        for match in pattern.finditer(text):
            start, end = max(match.start() - context, 0), match.end() + context
            snippet = text[start:end].replace("\n", " ⏎ ")
            found.append((rule, html_lib.unescape(snippet)))
    return found
