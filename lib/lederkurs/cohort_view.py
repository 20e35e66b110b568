"""The trainers' cohort notebook: the group's focus shift, how many answered, a discussion guide.

Anonymous unless the trainer asks for names: no participant name or answer text is shown by default.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from IPython.display import HTML, display

from . import paths
from .chart_png import img_html
from .cohort import Cohort, read_cohort
from .content import Course, load_course
from .errors import CourseError
from .messages import msg
from .notebook import check_language
from .static_html import STYLE, note_html, questions_html


def demo_cohort_dir() -> Path:
    return paths.repo_root() / "examples" / "cohort"


class CohortSession:
    def __init__(self, course: Course, cohort: Cohort, show_names: bool) -> None:
        self.course, self.cohort, self.show_names, self.lang = course, cohort, show_names, course.lang
        self.n = len(cohort.members)

    def answered(self, group_id: str) -> int:
        return sum(1 for d in self.cohort.docs if (a := d.answers.get(group_id)) and a.text.strip())

    def cohort_chart(self) -> HTML:
        from . import chart
        from .focus import cohort as cohort_stats

        stats = cohort_stats(self.course, self.cohort.docs)
        moved_with = sum(1 for a in stats if a.before_median is not None and a.now_median is not None
                         and (a.now_median > a.before_median) == (a.direction == "more")
                         and a.now_median != a.before_median)
        alt = msg(self.lang, "cohort_chart_alt", n=self.n, with_count=moved_with, total=len(stats))
        png = chart.to_png(chart.cohort_figure(self.course, self.cohort.docs))
        return HTML(f"{img_html(png, alt)}<p>{escape(alt)}</p>")

    def cohort_counts(self) -> HTML:
        rows = []
        for s in self.course.sections:
            for g in s.groups:
                count = msg(self.lang, "cohort_count_line", answered=self.answered(g.id), n=self.n)
                rows.append(f"<tr><td>{escape(s.number)} {escape(s.title)}: {escape(g.questions[0])}</td>"
                            f"<td style='white-space:nowrap'>{escape(count)}</td></tr>")
        head = (f"<tr><th scope='col'>{escape(msg(self.lang, 'cohort_col_group'))}</th>"
                f"<th scope='col'>{escape(msg(self.lang, 'cohort_col_answered'))}</th></tr>")
        return HTML(f"{STYLE}<table class='lk-table'>{head}{''.join(rows)}</table>")

    def cohort_discussion(self) -> HTML:
        from .focus import cohort as cohort_stats

        parts = [STYLE, f"<p>{escape(msg(self.lang, 'cohort_discussion_intro'))}</p>"]
        for s in self.course.sections:
            if not s.groups:
                continue
            parts.append(f"<h3>{escape(s.number)} {escape(s.title)}</h3>")
            counts = {g.id: self.answered(g.id) for g in s.groups}
            least = min(counts, key=counts.get)
            for g in s.groups:
                parts.append(questions_html(g))
                if self.n and g.id == least and len(s.groups) > 1:
                    parts.append(f'<p class="lk-missing">{escape(msg(self.lang, "cohort_discussion_least", answered=counts[g.id], n=self.n))}</p>')
            if s.directives().count("focus-self"):
                against = [a.label for a in cohort_stats(self.course, self.cohort.docs)
                           if a.before_median is not None and a.now_median is not None
                           and a.now_median != a.before_median
                           and (a.now_median > a.before_median) != (a.direction == "more")]
                if against:
                    parts.append(f"<p>{escape(msg(self.lang, 'cohort_discussion_focus', names=', '.join(against)))}</p>")
        return HTML("".join(parts))

    def cohort_answers(self) -> HTML:
        if not self.show_names:
            return HTML(note_html(escape(msg(self.lang, "cohort_answers_hidden"))))
        parts = [STYLE, f"<h2>{escape(msg(self.lang, 'cohort_answers_heading'))}</h2>"]
        for s in self.course.sections:
            for g in s.groups:
                answers = [(m.name, a.text) for m in self.cohort.members
                           if (a := m.answers.answers.get(g.id)) and a.text.strip()]
                if not answers:
                    continue
                parts.append(f"<h3>{escape(s.number)} {escape(s.title)}</h3>{questions_html(g)}")
                parts.extend(f'<p><strong>{escape(name)}</strong></p><div class="lk-answer">{escape(text)}</div>'
                             for name, text in answers)
        return HTML("".join(parts))


def start_cohort(answers_dir: Any = "", show_names: Any = False, lang: Any = "nb") -> CohortSession:
    lang = check_language(lang)
    if not isinstance(show_names, bool):
        raise CourseError.of(lang, "error_parameter_type", name="show_names", expected=msg(lang, "type_bool"),
                             value=show_names)
    if not isinstance(answers_dir, (str, Path)):
        raise CourseError.of(lang, "error_parameter_type", name="answers_dir", expected=msg(lang, "type_text"),
                             value=answers_dir)
    folder = Path(answers_dir) if answers_dir else demo_cohort_dir()
    if not folder.is_dir():
        raise CourseError.of(lang, "error_answers_dir_missing", path=folder)
    cohort = read_cohort(folder, lang)
    session = CohortSession(load_course(lang), cohort, show_names)
    notes = [msg(lang, "cohort_intro_named" if show_names else "cohort_intro", n=session.n)]
    if not cohort.members:
        notes = [msg(lang, "cohort_none", path=folder)]
    if cohort.skipped:
        notes.append(msg(lang, "cohort_skipped", count=len(cohort.skipped)))
    display(HTML(note_html("<br>".join(escape(n) for n in notes))))
    return session
