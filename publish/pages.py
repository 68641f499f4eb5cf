"""The release's pages (report.html, the published index.html, the Atom feed) from the Jinja2
templates in publish/templates/, with autoescaping on: a value is escaped unless it is markup the
project drew itself (a chart's or a map's SVG, passed as `Markup`).

An HTML template is written one element to a line, for people; the page is one line, as it always
was: in a `.html` template a line break and the indentation after it are not output (so a line
never breaks inside a run of text), and the page ends with the newline its file ends with. Other
templates (the Atom feed, the report's CSS and script) are output as written.

Values are escaped as the standard library's html.escape escapes them (`&#x27;`, `&quot;`), as the
pages always were, so a published page does not change by a byte for being templated; autoescaping
stays on underneath, so a value that somehow skipped that escape would be escaped all the same.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"


def _escaped(value: object) -> object:
    if hasattr(value, "__html__"):  # markup already: ours, or escaped before
        return value
    return Markup(html.escape(str(value)))


class _PageLoader(FileSystemLoader):
    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if template.endswith(".html"):
            ending = "\n" if source.endswith("\n") else ""
            source = re.sub(r"\n[ \t]*", "", source.rstrip("\n")) + ending
        return source, filename, uptodate


def _as_text(markup: object) -> Markup:
    """An HTML fragment as the text of an element (an Atom entry's content): escaped once more."""
    return Markup(html.escape(str(markup)))


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=_PageLoader(TEMPLATES),
        autoescape=True,
        finalize=_escaped,
        undefined=StrictUndefined,  # a name the template uses and the page does not give fails
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["as_text"] = _as_text
    return environment


def render_page(template: str, **context: object) -> str:
    return _environment().get_template(template).render(**context)


def render_macro(template: str, macro: str, *args: object) -> Markup:
    """A fragment of a page (a chart, a map): one macro of a template, called with `args`."""
    return getattr(_environment().get_template(template).module, macro)(*args)
