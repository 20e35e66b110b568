"""Content -> notebooks: one notebook per section, generated, committed without outputs."""

from __future__ import annotations

import base64
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from . import paths
from .course.blocks import NAV_TAG
from .course.content import Course, DirectiveBlock, QuestionBlock, Section, TextBlock, parse_course
from .course.languages import available_languages
from .course.messages import msg

KERNELSPEC = {"name": paths.KERNEL, "display_name": "Python 3 (ipykernel)", "language": "python"}
HIDDEN = {"jupyter": {"source_hidden": True}}
SESSION = "kurs"  # the variable a participant's notebook cells call
TRAINER_SESSION = "kull"  # the variable the trainer's notebook cells call
# The parameters cell in papermill's convention (`papermill --help-notebook` shows type and meaning):
# (name, type, default in the notebook, message key of its help text)
PARAMETERS = (("participant", "str", '""', "param_participant"), ("answers_dir", "str", '""', "param_answers_dir"),
              ("read_only", "bool", "False", "param_read_only"), ("lang", "str", None, "param_lang"))
TRAINER_PARAMETERS = (("answers_dir", "str", '""', "param_cohort_answers_dir"),
                      ("show_names", "bool", "False", "param_show_names"), ("lang", "str", None, "param_lang"))


@dataclass(frozen=True)
class Drift:
    path: Path
    reason: str


def notebook_name(section: Section) -> str:
    return f"{section.file}.ipynb"


def nav_line(course: Course, index: int) -> str:
    lang, sections = course.lang, course.sections
    parts = []
    if index > 0:
        prev = sections[index - 1]
        parts.append(f"[{msg(lang, 'nav_previous', title=prev.title)}]({notebook_name(prev)})")
    contents_anchor = msg(lang, "contents_heading")
    parts.append(f"[{msg(lang, 'nav_contents')}]({notebook_name(sections[0])}#{contents_anchor})")
    if index < len(sections) - 1:
        nxt = sections[index + 1]
        parts.append(f"[{msg(lang, 'nav_next', title=nxt.title)}]({notebook_name(nxt)})")
    return " · ".join(parts)


def contents(course: Course) -> str:
    items = "\n".join(f"{i}. [{s.title}]({notebook_name(s)})" for i, s in enumerate(course.sections))
    return f"## {msg(course.lang, 'contents_heading')}\n\n{items}"


def parameters_cell(lang: str, comment_key: str,
                    parameters: tuple[tuple[str, str, str | None, str], ...]) -> nbformat.NotebookNode:
    lines = [f"# {line}" for line in msg(lang, comment_key).splitlines()]
    quoted = f'"{lang}"'
    lines += [f"{name}: {kind} = {default or quoted}  # {msg(lang, key)}" for name, kind, default, key in parameters]
    return _code("\n".join(lines), tags=["parameters"])


def _call(names: tuple[tuple[str, str, str | None, str], ...]) -> str:
    return ", ".join(f"{name}={name}" for name, *_ in names)


def _code(source: str, **metadata: object) -> nbformat.NotebookNode:
    return new_code_cell(source, metadata={**HIDDEN, **metadata})


def guide_chart_source(course: Course) -> str:
    """The fingerprint of what the guide's chart is drawn from (the chart cache's, charts/source.py)."""
    from .charts.source import fingerprint

    return fingerprint("guide", course.lang, [(a.id, a.label, a.direction) for a in course.focus_areas])


def guide_chart_cell(course: Course) -> nbformat.NotebookNode:
    """The guide's focus shift depends on content alone, so it is drawn here, once, as a Markdown
    attachment: visible before any cell runs, and no kernel time spent on it."""
    from .charts.figures import guide_alt, guide_figure, to_png

    name = f"{msg(course.lang, 'file_guide_chart')}.png"
    png = to_png(guide_figure(course))
    cell = new_markdown_cell(f"![{guide_alt(course)}](attachment:{name})",
                             metadata={"lederkurs": {"drawn_from": guide_chart_source(course)}})
    cell["attachments"] = {name: {"image/png": base64.b64encode(png).decode("ascii")}}
    return cell


def _pictures(nb: dict) -> list[tuple[str, list[bytes]]]:
    """Take each drawn picture (fingerprint, PNG bytes) out of a notebook, leaving the rest to compare as text."""
    found = []
    for cell in nb.get("cells", []):
        source = (cell.get("metadata") or {}).get("lederkurs", {}).pop("drawn_from", None)
        pngs = []
        for attachment in (cell.get("attachments") or {}).values():
            for mime in attachment:
                pngs.append(base64.b64decode(attachment[mime]))
                attachment[mime] = ""
        if source is not None:
            found.append((source, pngs))
    return found


def _same_pixels(a: bytes, b: bytes) -> bool:
    from PIL import Image

    with Image.open(io.BytesIO(a)) as x, Image.open(io.BytesIO(b)) as y:
        return x.size == y.size and x.convert("RGBA").tobytes() == y.convert("RGBA").tobytes()


def same_notebook(old: str, new: str) -> bool:
    """Whether a notebook on disk is what the build makes now. Its text must match; a drawn picture matches when
    it was drawn from the same things (its fingerprint), or else shows the same pixels: an edit of the drawing
    code that leaves the guide's chart as it was, or another matplotlib that encodes it differently, is no drift."""
    a, b = json.loads(old), json.loads(new)
    pa, pb = _pictures(a), _pictures(b)
    if json.dumps(a, sort_keys=True) != json.dumps(b, sort_keys=True) or len(pa) != len(pb):
        return False
    return all(fa == fb or (len(xa) == len(xb) and all(map(_same_pixels, xa, xb)))
               for (fa, xa), (fb, xb) in zip(pa, pb, strict=True))


def markdown_text(text: str) -> str:
    """Plain text as Markdown that shows exactly that text (a question is words, never markup)."""
    return re.sub(r"([\\`*_{}\[\]<>#|!~])", r"\\\1", " ".join(text.split()))


def question_cell(block: QuestionBlock) -> nbformat.NotebookNode:
    """A question group as Markdown: readable without a kernel (GitHub, nbviewer, paper); the answer box below
    it carries the same words as its accessible name."""
    items = "\n".join(f"- **{markdown_text(q)}**" for q in block.group.questions)
    return new_markdown_cell(items, metadata={"lederkurs": {"question": block.group.id}})


# Blocks without a cell (BlockKind.call is None): drawn here, from content alone.
DRAWN_AT_BUILD = {"focus-guide": guide_chart_cell}


def _body(course: Course, section: Section, var: str) -> list[nbformat.NotebookNode]:
    """The section's title, text, and one tiny code cell per question or block."""
    cells = []
    heading = f"# {section.title}\n\n"
    for block in section.blocks:
        if isinstance(block, TextBlock):
            cells.append(new_markdown_cell(heading + block.markdown))
            heading = ""
            continue
        if heading:
            cells.append(new_markdown_cell(heading.strip()))
            heading = ""
        if isinstance(block, QuestionBlock):
            cells.append(question_cell(block))
            cells.append(_code(f'{var}.question("{block.group.id}")'))
        elif isinstance(block, DirectiveBlock) and block.kind.call:
            cells.append(_code(f"{var}.{block.kind.call}()"))
        elif isinstance(block, DirectiveBlock):
            cells.append(DRAWN_AT_BUILD[block.kind.name](course))
    return cells


def _notebook(cells: list[nbformat.NotebookNode], cell_prefix: str, title: str, lang: str) -> nbformat.NotebookNode:
    for i, cell in enumerate(cells):
        cell["id"] = f"{cell_prefix}-{i:02d}"  # stable ids keep the generated files byte-identical
    # lederkurs.lang: the language of the text, for a page's <html lang> (the Voilà template reads it)
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"},
                                             "title": title, "lederkurs": {"lang": lang}})
    nbformat.validate(nb)
    return nb


# The time a notebook takes, shown at its top: reading its text and questions, and answering each question.
WORDS_PER_MINUTE = 185  # silent reading of Norwegian text (IReST, Trauzettel-Klosinski et al. 2012)
MINUTES_PER_QUESTION = 2  # to think one question over and write a few lines
MINUTES_STEP = 5  # an estimate, not a promise: rounded up to whole five minutes


def minutes_needed(section: Section) -> int:
    questions = [q for g in section.groups for q in g.questions]
    words = sum(len(b.markdown.split()) for b in section.blocks if isinstance(b, TextBlock))
    words += sum(len(q.split()) for q in questions)
    minutes = words / WORDS_PER_MINUTE + MINUTES_PER_QUESTION * len(questions)
    return MINUTES_STEP * max(1, math.ceil(minutes / MINUTES_STEP))


def time_line(course: Course, section: Section) -> str:
    return f"*{msg(course.lang, 'time_estimate', minutes=minutes_needed(section))}*"


def build_notebook(course: Course, index: int) -> nbformat.NotebookNode:
    section = course.sections[index]
    nav = nav_line(course, index)
    first = "first_line" if section.groups else "first_line_no_answers"
    cells = [
        new_markdown_cell(f"{msg(course.lang, first)}\n\n{time_line(course, section)}\n\n{nav}",
                          metadata={"tags": [NAV_TAG]}),
        parameters_cell(course.lang, "params_comment", PARAMETERS),
        _code(f'from lederkurs import start\n'
              f'{SESSION} = start("{section.file}", {_call(PARAMETERS)})'),
        *_body(course, section, SESSION),
    ]
    if "summary" not in section.directives():
        cells.append(new_markdown_cell(f"## {msg(course.lang, 'take_away_heading')}"))
        cells.append(_code(f"{SESSION}.take_away()"))
    if index == 0:
        cells.append(new_markdown_cell(contents(course)))
    cells.append(new_markdown_cell(f"---\n\n*{course.source}*"))
    cells.append(new_markdown_cell(nav, metadata={"tags": [NAV_TAG]}))
    return _notebook(cells, section.id, section.heading, course.lang)


def build_trainer_notebook(course: Course, section: Section) -> nbformat.NotebookNode:
    cells = [
        parameters_cell(course.lang, "trainer_params_comment", TRAINER_PARAMETERS),
        _code(f"from lederkurs import start_cohort\n{TRAINER_SESSION} = start_cohort({_call(TRAINER_PARAMETERS)})"),
        *_body(course, section, TRAINER_SESSION),
        new_markdown_cell(f"---\n\n*{course.source}*"),
    ]
    return _notebook(cells, section.id, section.title, course.lang)


def render_all(course: Course) -> dict[str, str]:
    """File name -> notebook JSON text, for every section and every trainers' notebook."""
    files = {notebook_name(s): build_notebook(course, i) for i, s in enumerate(course.sections)}
    files.update({notebook_name(s): build_trainer_notebook(course, s) for s in course.trainer_sections})
    return {name: nbformat.writes(nb) + "\n" for name, nb in files.items()}


def _languages(lang: str | None) -> list[str]:
    return [lang] if lang else available_languages()


def _write_if_changed(path: Path, text: str, same: bool) -> bool:
    if same:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def build(lang: str | None = None) -> list[Path]:
    """Write the notebooks of one language, or of every language; return the files that changed."""
    written = []
    for code in _languages(lang):
        course = parse_course(code)
        out = paths.notebooks_for(code)
        out.mkdir(parents=True, exist_ok=True)
        for name, text in render_all(course).items():
            path = out / name
            if _write_if_changed(path, text, path.exists() and same_notebook(path.read_text(encoding="utf-8"), text)):
                written.append(path)
    return written


def check(lang: str | None = None) -> list[Drift]:
    """Notebooks that lag behind their content (or are missing, or that no content generates)."""
    drift = []
    for code in _languages(lang):
        course = parse_course(code)
        out = paths.notebooks_for(code)
        expected = render_all(course)
        for name, text in expected.items():
            path = out / name
            if not path.exists():
                drift.append(Drift(path, "missing"))
            elif not same_notebook(path.read_text(encoding="utf-8"), text):
                drift.append(Drift(path, "differs from its content file"))
        for path in sorted(out.glob("*.ipynb")):
            if path.name not in expected:
                drift.append(Drift(path, "no content file generates it"))
    if not lang:
        languages = set(available_languages())
        for folder in sorted(p for p in paths.notebooks_dir().iterdir() if p.is_dir()):
            if folder.name not in languages and not folder.name.startswith("."):
                drift.append(Drift(folder, "no content language generates it"))
    return drift
