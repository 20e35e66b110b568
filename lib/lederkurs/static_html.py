"""Answers as plain, escaped HTML: for read-only runs, reports and the summary (no widget JavaScript)."""

from __future__ import annotations

import base64
from html import escape

from .answers import Answer, AnswersFile
from .content import Course, QuestionGroup, Section
from .messages import msg

STYLE = (
    "<style>"
    ".lk-group{margin:0.6em 0 1.2em 0}"
    ".lk-questions{margin:0 0 0.4em 1.2em;padding:0}"
    ".lk-answer{white-space:pre-wrap;overflow-wrap:anywhere;border-left:4px solid #0b5394;"
    "padding:0.4em 0.8em;background:#f3f6fa;color:#111}"
    ".lk-missing{font-style:italic;color:#555}"
    ".lk-note{border-left:4px solid #b45f06;background:#fdf3e7;color:#111;padding:0.4em 0.8em;margin:0.4em 0}"
    ".lk-progress{display:inline-block;width:12em;height:0.8em;background:#dde3ea;vertical-align:middle;"
    "margin-right:0.6em}"
    ".lk-progress>span{display:block;height:100%;background:#0b5394}"
    ".lk-table{border-collapse:collapse}.lk-table td,.lk-table th{border-bottom:1px solid #ccd;padding:0.3em 0.6em;"
    "text-align:left;vertical-align:top}"
    "</style>"
)


def questions_html(group: QuestionGroup) -> str:
    items = "".join(f"<li>{escape(q)}</li>" for q in group.questions)
    return f'<ul class="lk-questions">{items}</ul>'


def answer_html(answer: Answer | None, lang: str) -> str:
    if answer is None or not answer.text.strip():
        return f'<p class="lk-missing">{escape(msg(lang, "not_answered"))}</p>'
    return f'<div class="lk-answer">{escape(answer.text)}</div>'


def group_html(group: QuestionGroup, doc: AnswersFile, lang: str) -> str:
    return (f'<div class="lk-group">{questions_html(group)}'
            f"{answer_html(doc.answers.get(group.id), lang)}</div>")


def note_html(text: str) -> str:
    """A notice for the participant; `text` comes from the message catalogue and may hold simple markup."""
    return f'{STYLE}<div class="lk-note" role="status">{text}</div>'


def answered(section: Section, doc: AnswersFile) -> int:
    return sum(1 for g in section.groups if g.id in doc.answers and doc.answers[g.id].text.strip())


def progress_html(section: Section, doc: AnswersFile, lang: str) -> str:
    total = len(section.groups)
    if not total:
        return f'<p class="lk-missing">{escape(msg(lang, "summary_no_questions"))}</p>'
    done = answered(section, doc)
    label = escape(msg(lang, "summary_progress", answered=done, total=total))
    return (f'<p><span class="lk-progress" role="img" aria-label="{label}">'
            f'<span style="width:{100 * done // total}%"></span></span>{label}</p>')


def summary_html(course: Course, doc: AnswersFile, lang: str) -> str:
    """Every section with its progress, questions and answers."""
    parts = [STYLE]
    sections = [s for s in course.sections if s.groups]
    done = sum(answered(s, doc) for s in sections)
    parts.append(f"<p><strong>{escape(msg(lang, 'summary_total', answered=done, total=len(course.groups)))}"
                 "</strong></p>")
    for s in sections:
        parts.append(f"<h2>{escape(s.number)} {escape(s.title)}</h2>")
        parts.append(progress_html(s, doc, lang))
        parts.extend(group_html(g, doc, lang) for g in s.groups)
    return "".join(parts)


def data_link(data: bytes, name: str, mime: str, text: str) -> str:
    """An <a download> link carrying the file itself: works in JupyterLab, Binder and Voilà alike."""
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (f'<a download="{escape(name)}" href="{href}" '
            f'style="color:#0b5394;text-decoration:underline">{escape(text)}</a>')
