"""A participant's personal report: every section, question and answer, the focus chart, date and source.

HTML (self-contained, print-friendly), DOCX (real Word headings) and Markdown. Answer text is data, never
markup: escaped in HTML, fenced in Markdown, plain runs in DOCX.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from .answers import AnswersFile
from .content import Course
from .messages import msg

FORMATS = ("html", "docx", "md")
# Characters XML 1.0 cannot hold (DOCX is XML): shown as U+FFFD instead of failing the export.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Entry:
    questions: tuple[str, ...]
    answer: str | None  # None: not answered


@dataclass(frozen=True)
class ReportSection:
    title: str
    progress: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Report:
    title: str
    meta: str
    focus_sentence: str
    focus_png: bytes
    sections: tuple[ReportSection, ...]
    source: str
    lang: str


def build_report(course: Course, doc: AnswersFile, today: date | None = None) -> Report:
    from .chart_png import participant_png
    from .focus import describe, focus_points

    lang = course.lang
    points = focus_points(course, doc)
    sections = []
    for s in course.sections:
        if not s.groups:
            continue
        entries = tuple(Entry(g.questions, a.text if (a := doc.answers.get(g.id)) and a.text.strip() else None)
                        for g in s.groups)
        done = sum(e.answer is not None for e in entries)
        sections.append(ReportSection(f"{s.number} {s.title}",
                                      msg(lang, "summary_progress", answered=done, total=len(entries)), entries))
    when = (today or date.today()).strftime("%d.%m.%Y")
    return Report(msg(lang, "report_title", course=course.title),
                  msg(lang, "report_meta", participant=doc.participant, date=when),
                  describe(points, lang), participant_png(points, lang), tuple(sections),
                  course.source, lang)


def to_html(report: Report) -> bytes:
    from .chart_png import img_html
    from .report_html import page
    from .static_html import STYLE

    parts = [STYLE, f"<h1>{escape(report.title)}</h1><p>{escape(report.meta)}</p>",
             f"<h2>{escape(msg(report.lang, 'report_focus_heading'))}</h2>",
             img_html(report.focus_png, report.focus_sentence), f"<p>{escape(report.focus_sentence)}</p>"]
    for s in report.sections:
        parts.append(f"<h2>{escape(s.title)}</h2><p>{escape(s.progress)}</p>")
        for e in s.entries:
            items = "".join(f"<li>{escape(q)}</li>" for q in e.questions)
            answer = (f'<div class="lk-answer">{escape(e.answer)}</div>' if e.answer is not None
                      else f'<p class="lk-missing">{escape(msg(report.lang, "not_answered"))}</p>')
            parts.append(f'<div class="lk-group"><ul class="lk-questions">{items}</ul>{answer}</div>')
    parts.append(f"<hr><p><em>{escape(report.source)}</em></p>")
    return page(report.title, "".join(parts), report.lang).encode("utf-8")


def _fence(text: str) -> str:
    """A fenced block no answer can close early: the fence is longer than any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _md_line(text: str) -> str:
    """Course text on one Markdown line, with characters that could start markup escaped."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~-])", r"\\\1", text)


def to_markdown(report: Report) -> bytes:
    lines = [f"# {_md_line(report.title)}", "", _md_line(report.meta), "",
             f"## {_md_line(msg(report.lang, 'report_focus_heading'))}", "", _md_line(report.focus_sentence), ""]
    for s in report.sections:
        lines += [f"## {_md_line(s.title)}", "", _md_line(s.progress), ""]
        for e in s.entries:
            lines += [f"- {_md_line(q)}" for q in e.questions] + [""]
            lines += [_fence(e.answer) if e.answer is not None else f"*{_md_line(msg(report.lang, 'not_answered'))}*",
                      ""]
    lines += ["---", "", f"*{_md_line(report.source)}*", ""]
    return "\n".join(lines).encode("utf-8")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def to_docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.core_properties.title = _xml_safe(report.title)
    document.add_heading(_xml_safe(report.title), level=0)
    document.add_paragraph(_xml_safe(report.meta))
    document.add_heading(_xml_safe(msg(report.lang, "report_focus_heading")), level=1)
    document.add_picture(io.BytesIO(report.focus_png), width=Cm(16))
    document.add_paragraph(_xml_safe(report.focus_sentence))
    for s in report.sections:
        document.add_heading(_xml_safe(s.title), level=1)
        document.add_paragraph(_xml_safe(s.progress))
        for e in s.entries:
            for q in e.questions:
                document.add_paragraph(_xml_safe(q), style="List Bullet")
            if e.answer is None:
                document.add_paragraph().add_run(_xml_safe(msg(report.lang, "not_answered"))).italic = True
            else:
                document.add_paragraph(_xml_safe(e.answer), style="Quote")
    document.add_paragraph().add_run(_xml_safe(report.source)).italic = True
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def render_report(report: Report, fmt: str) -> bytes:
    return {"html": to_html, "docx": to_docx, "md": to_markdown}[fmt](report)


def report_file_name(participant: str, fmt: str, lang: str) -> str:
    """Built from a checked participant name, so it has no path separators."""
    return f"{participant}-{msg(lang, 'file_report')}.{fmt}"


def write_report(report: Report, participant: str, fmt: str, out: Path) -> Path:
    """Write to `out` (a file), or into `out` when it is a folder; never outside that folder."""
    path = out / report_file_name(participant, fmt, report.lang) if out.is_dir() else out
    if out.is_dir() and path.resolve().parent != out.resolve():
        raise ValueError(f"{path} is outside {out}")
    path.write_bytes(render_report(report, fmt))
    return path
