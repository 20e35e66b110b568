"""The export formats of a personal report, one entry each: how it is written, its file suffix, its MIME
type and the message key of its download link. `lederkurs export`, notebook 09 and a trainer's render all
take the formats from here; a new format is one more entry.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..course.messages import msg
from ..text import visible, visible_lines
from .html import png_base64, render
from .personal import PersonalReport

# Characters XML 1.0 cannot hold (DOCX is XML): shown as U+FFFD instead of failing the export.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def to_html(report: PersonalReport) -> bytes:
    return render("report.html.j2", report=report, lang=report.lang, title=report.title,
                  png_base64=png_base64(report.focus_png),
                  time_base64=png_base64(report.time_png) if report.time_png else "",
                  narrow_base64=png_base64(report.focus_png_narrow) if report.focus_png_narrow else None,
                  time_narrow_base64=png_base64(report.time_png_narrow) if report.time_png_narrow else None,
                  ).encode("utf-8")


def _fence(text: str) -> str:
    """A fenced block no answer can close early: the fence is longer than any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _md_line(text: str) -> str:
    """Course text on one Markdown line, with what could start markup escaped, and only that: brackets, stars
    and the like anywhere; a list or heading marker only at the start (a "(" or "-" inside reads as itself)."""
    text = re.sub(r"([\\`*_\[\]<>|~&])", r"\\\1", visible(text))
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", re.sub(r"^([#+=-])", r"\\\1", text))


def to_markdown(report: PersonalReport) -> bytes:
    lang = report.lang
    lines = [f"# {_md_line(report.title)}", "", _md_line(report.meta), "",
             f"## {_md_line(msg(lang, 'report_focus_heading'))}", "", _md_line(report.focus_sentence), ""]
    if report.time_table:
        head, *rows = report.time_table
        lines += [_md_line(report.time_sentence), "", "| " + " | ".join(_md_line(c) for c in head) + " |",
                  "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(_md_line(c) for c in row) + " |" for row in rows] + [""]
    for s in report.sections:
        lines += [f"## {_md_line(s.title)}", "", _md_line(s.progress), ""]
        for e in s.entries:
            lines += [f"- {_md_line(q)}" for q in e.questions] + [""]
            for r in e.rounds or (None,):
                text = e.answer if r is None else r.answer
                if r is not None:
                    lines += [f"**{_md_line(r.title)}**" + (f" ({r.date})" if r.date else ""), ""]  # a date as is
                lines += [_fence(visible_lines(text)) if text is not None
                          else f"*{_md_line(msg(lang, 'not_answered'))}*", ""]
    lines += ["---", "", f"*{_md_line(report.source)}*", ""]
    return "\n".join(lines).encode("utf-8")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def to_docx(report: PersonalReport) -> bytes:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.core_properties.title = _xml_safe(report.title)
    document.add_heading(_xml_safe(report.title), level=0)
    document.add_paragraph(_xml_safe(report.meta))
    document.add_picture(io.BytesIO(report.focus_png), width=Cm(16))
    document.add_paragraph(_xml_safe(report.focus_sentence))
    if report.time_png:
        document.add_picture(io.BytesIO(report.time_png), width=Cm(16))
        document.add_paragraph(_xml_safe(report.time_sentence))
        head, *rows = report.time_table
        table = document.add_table(rows=1 + len(rows), cols=len(head))
        table.style = "Table Grid"
        for i, row in enumerate([head, *rows]):
            for j, cell in enumerate(row):
                table.cell(i, j).text = _xml_safe(cell)
    for s in report.sections:
        document.add_heading(_xml_safe(s.title), level=1)
        document.add_paragraph(_xml_safe(s.progress))
        for e in s.entries:
            for q in e.questions:
                document.add_paragraph(_xml_safe(q), style="List Bullet")
            if e.rounds:  # side by side: a column per round, its name and date on top
                table = document.add_table(rows=2, cols=len(e.rounds))
                table.style = "Table Grid"
                for j, r in enumerate(e.rounds):
                    table.cell(0, j).text = _xml_safe(r.title + (f" ({r.date})" if r.date else ""))
                    table.cell(1, j).text = _xml_safe(r.answer if r.answer is not None
                                                      else msg(report.lang, "not_answered"))
                continue
            if e.answer is None:
                document.add_paragraph().add_run(_xml_safe(msg(report.lang, "not_answered"))).italic = True
            else:
                document.add_paragraph(_xml_safe(e.answer), style="Quote")
    document.add_paragraph().add_run(_xml_safe(report.source)).italic = True
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffix: str
    mime: str
    label_key: str  # the message naming its download link
    write: Callable[[PersonalReport], bytes]

    def file_name(self, participant: str, lang: str) -> str:
        """Built from a checked participant name, so it has no path separators."""
        return f"{participant}-{msg(lang, 'file_report')}{self.suffix}"


FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("html", ".html", "text/html", "download_report_html", to_html),
    ExportFormat("docx", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "download_report_docx", to_docx),
    ExportFormat("md", ".md", "text/markdown", "download_report_md", to_markdown),
)}

