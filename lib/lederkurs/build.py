"""Content -> notebooks: one notebook per section, generated, committed without outputs."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from . import paths
from .content import Course, QuestionBlock, Section, TextBlock, available_languages, load_course
from .messages import msg

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
HIDDEN = {"jupyter": {"source_hidden": True}}
NAV_TAG = "navigation"  # instructions and links between notebooks: left out of rendered reports
PARAMETERS = '''{comment}
participant = ""
answers_dir = ""
read_only = False
lang = "{lang}"'''
TRAINER_PARAMETERS = '''{comment}
answers_dir = ""
show_names = False
lang = "{lang}"'''


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


def _comment(lang: str, key: str) -> str:
    return "\n".join(f"# {line}" for line in msg(lang, key).splitlines())


def _code(source: str, **metadata: object) -> nbformat.NotebookNode:
    return new_code_cell(source, metadata={**HIDDEN, **metadata})


def guide_chart_cell(course: Course) -> nbformat.NotebookNode:
    """The guide's focus shift depends on content alone, so it is drawn here, once, as a Markdown
    attachment: visible before any cell runs, and no kernel time spent on it."""
    from . import chart

    name = f"{msg(course.lang, 'file_guide_chart')}.png"
    png = chart.to_png(chart.guide_figure(course))
    cell = new_markdown_cell(f"![{chart.guide_alt(course)}](attachment:{name})")
    cell["attachments"] = {name: {"image/png": base64.b64encode(png).decode("ascii")}}
    return cell


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
            cells.append(_code(f'{var}.question("{block.group.id}")'))
        elif block.name == "focus-guide":
            cells.append(guide_chart_cell(course))
        else:
            cells.append(_code(f"{var}.{block.name.replace('-', '_')}()"))
    return cells


def _notebook(cells: list[nbformat.NotebookNode], cell_prefix: str, title: str) -> nbformat.NotebookNode:
    for i, cell in enumerate(cells):
        cell["id"] = f"{cell_prefix}-{i:02d}"  # stable ids keep the generated files byte-identical
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"},
                                             "title": title})
    nbformat.validate(nb)
    return nb


def build_notebook(course: Course, index: int) -> nbformat.NotebookNode:
    section = course.sections[index]
    nav = nav_line(course, index)
    cells = [
        new_markdown_cell(f"{msg(course.lang, 'first_line')}\n\n{nav}", metadata={"tags": [NAV_TAG]}),
        _code(PARAMETERS.format(lang=course.lang, comment=_comment(course.lang, "params_comment")),
              tags=["parameters"]),
        _code(f'from lederkurs import start\n'
              f'kurs = start("{section.file}", participant, answers_dir, read_only, lang)'),
        *_body(course, section, "kurs"),
    ]
    if "summary" not in section.directives():
        cells.append(new_markdown_cell(f"## {msg(course.lang, 'take_away_heading')}"))
        cells.append(_code("kurs.take_away()"))
    if index == 0:
        cells.append(new_markdown_cell(contents(course)))
    cells.append(new_markdown_cell(f"---\n\n*{course.source}*"))
    cells.append(new_markdown_cell(nav, metadata={"tags": [NAV_TAG]}))
    return _notebook(cells, section.id, f"{section.number} {section.title}")


def build_trainer_notebook(course: Course, section: Section) -> nbformat.NotebookNode:
    cells = [
        _code(TRAINER_PARAMETERS.format(lang=course.lang, comment=_comment(course.lang, "trainer_params_comment")),
              tags=["parameters"]),
        _code(f"from lederkurs import start_cohort\n{section.id} = start_cohort(answers_dir, show_names, lang)"),
        *_body(course, section, section.id),
        new_markdown_cell(f"---\n\n*{course.source}*"),
    ]
    return _notebook(cells, section.id, section.title)


def render_all(course: Course) -> dict[str, str]:
    """File name -> notebook JSON text, for every section and every trainers' notebook."""
    files = {notebook_name(s): build_notebook(course, i) for i, s in enumerate(course.sections)}
    files.update({notebook_name(s): build_trainer_notebook(course, s) for s in course.trainer_sections})
    return {name: nbformat.writes(nb) + "\n" for name, nb in files.items()}


def _languages(lang: str | None) -> list[str]:
    return [lang] if lang else available_languages()


def build(lang: str | None = None) -> list[Path]:
    """Write the notebooks of one language, or of every language; return the files that changed."""
    written = []
    for code in _languages(lang):
        out = paths.notebooks_for(code)
        out.mkdir(parents=True, exist_ok=True)
        for name, text in render_all(load_course(code)).items():
            path = out / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                written.append(path)
    return written


def check(lang: str | None = None) -> list[Drift]:
    """Notebooks that lag behind their content (or are missing, or that no content generates)."""
    drift = []
    for code in _languages(lang):
        out = paths.notebooks_for(code)
        expected = render_all(load_course(code))
        for name, text in expected.items():
            path = out / name
            if not path.exists():
                drift.append(Drift(path, "missing"))
            elif path.read_text(encoding="utf-8") != text:
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
