"""HTML for notebooks, widgets and pages, written by the Jinja2 templates in templates/ (autoescaped).

Python hands the templates data; the templates decide the markup. Text from a participant's file is
escaped, and its control characters shown as escapes (filters `visible`, `visible_lines`).
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterable
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .. import paths, theme
from ..answers.model import AnswersFile
from ..course.content import Course, load_course
from ..course.messages import msg, template
from ..text import visible, visible_lines
from .personal import answered_sections, round_answers


def t(lang: str, key: str, /, **values: object) -> Markup:
    """A message with its values escaped (Markup values, such as a link, are kept as they are)."""
    return escape(template(lang, key, **values)).format(**values)


def source(lang: str) -> str:
    """The course's footer line (source, what is quoted and left out, who made it, version) for a page."""
    return load_course(lang).source


class _QuietBytecodeCache(FileSystemBytecodeCache):
    """Compiled templates kept between kernels in the user's cache (Jinja's own cache; compiling them costs a
    text notebook a tenth of its time). A folder that cannot be read or written only means compiling again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    folder = paths.cache_dir()
    try:
        if folder is not None:
            (folder / "templates").mkdir(mode=0o700, parents=True, exist_ok=True)
            return _QuietBytecodeCache(str(folder / "templates"))
    except OSError:
        pass
    return None


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("lederkurs.reports"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=_bytecode_cache())
    env.globals.update(t=t, theme=theme, source=source)
    env.filters.update(visible=visible, visible_lines=visible_lines)
    return env


@cache
def _fragments() -> Any:
    return environment().get_template("fragments.html.j2").module


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)


def page(title: str, body: str | Markup, lang: str) -> str:
    """A complete, self-contained page around `body` (safe HTML)."""
    return render("page.html.j2", title=title, body=Markup(body), lang=lang)


def style() -> Markup:
    """The course's stylesheet as a <style> element: a notebook shows it once, in its first output, and
    it holds for every output and widget on the page."""
    return Markup(_fragments().style())


def fragment(name: str, *args: object, **kwargs: object) -> Markup:
    """One macro of templates/fragments.html.j2, e.g. fragment("status", text, error=True)."""
    return Markup(getattr(_fragments(), name)(*args, **kwargs))


def png_base64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def data_href(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def data_link(data: bytes, name: str, mime: str, text: str) -> Markup:
    """An <a download> link carrying the file itself: works in JupyterLab, Binder and Voilà alike."""
    return fragment("data_link", data_href(data, mime), name, text)


def chart(png: bytes | None, sentence: str, narrow: bytes | None = None) -> Markup:
    """An inline chart with its one-sentence text alternative, also shown under it (the sentence alone where
    there is nothing to draw). With `narrow` (the chart drawn for a phone: charts/layout.NARROW) the browser
    shows that one on a narrow screen, the wide one elsewhere (templates/fragments.html.j2: chart)."""
    return fragment("chart", png_base64(png) if png else None, sentence,
                    png_base64(narrow) if png and narrow else None)


def note(lines: Iterable[str | Markup]) -> Markup:
    """A notice for the participant."""
    return fragment("note", list(lines))


def summary(course: Course, doc: AnswersFile, lang: str, links: bool = True) -> Markup:
    """Every section with questions: its progress, questions and answers; with `links`, an unanswered question
    links to its notebook (beside 09; not in a trainer's render, whose pages are not notebooks)."""
    sections = answered_sections(course, doc)
    if not links:
        sections = tuple(dataclasses.replace(s, notebook="") for s in sections)
    return fragment("summary", sections, sum(s.done for s in sections), len(course.groups), lang)


def earlier(doc: AnswersFile, group_id: str, lang: str) -> Markup:
    """The earlier rounds' answers to one question group, collapsed under its box ("" when there are none)."""
    items = tuple(r for r in reversed(round_answers(doc, group_id, lang)[:-1]) if r.answer is not None)
    return fragment("earlier", items, lang)


def has_time_chart(doc: AnswersFile) -> bool:
    """A chart over time says more than the before/now chart once there are rounds or a goal."""
    return len(doc.earlier) > 0 or any(g.value is not None for g in doc.goals.values())


def time_chart(course: Course, doc: AnswersFile, keep_drawn: bool = True) -> Markup:
    """The chart over time with its text alternative and its numbers as a table ("" with one round and no goal,
    or when nothing is placed)."""
    if not has_time_chart(doc):
        return Markup("")
    from ..charts.layout import NARROW
    from ..charts.png import time_png
    from ..charts.rounds import describe_over_time, over_time, table

    lang = course.lang
    data = over_time(course, doc)
    if data.empty:
        return Markup("")
    head, rows = table(data, lang)
    return (chart(time_png(data, lang, keep_drawn), describe_over_time(data, lang),
                  time_png(data, lang, keep_drawn, NARROW))
            + fragment("data_table", [head, *rows], msg(lang, "chart_time_table")))
