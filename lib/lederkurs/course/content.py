"""Parse and validate the course content (content/course.yml + content/<lang>/*.md) into dataclasses.

Every error names the file and line, so a maintainer can fix the text without reading code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Union

from .. import __version__, paths
from .blocks import BLOCK_KINDS, BlockKind, NotebookKind
from .kept import kept
from .languages import available_languages, check_language
from .problems import ContentError, line_of, load_yaml, safe_yaml

DIRECTIONS = ("more", "less")
# What a focus area rests on: the guide's own text, or only its description of DFØ's illustration.
RESTS_ON = ("text", "illustration")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)?$")


@dataclass(frozen=True)
class QuestionGroup:
    id: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class TextBlock:
    markdown: str


@dataclass(frozen=True)
class QuestionBlock:
    group: QuestionGroup


@dataclass(frozen=True)
class DirectiveBlock:
    kind: BlockKind


Block = Union[TextBlock, QuestionBlock, DirectiveBlock]


@dataclass(frozen=True)
class Section:
    id: str
    file: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def number(self) -> str:
        return self.file.split("-", 1)[0]

    @property
    def heading(self) -> str:
        """How the section is named in overviews and reports: "01 Vær en brobygger"."""
        return f"{self.number} {self.title}"

    @property
    def groups(self) -> tuple[QuestionGroup, ...]:
        return tuple(b.group for b in self.blocks if isinstance(b, QuestionBlock))

    def directives(self) -> list[str]:
        return [b.kind.name for b in self.blocks if isinstance(b, DirectiveBlock)]


@dataclass(frozen=True)
class FocusArea:
    id: str
    label: str
    direction: Literal["more", "less"]
    basis: str
    rests_on: Literal["text", "illustration"] = "text"


@dataclass(frozen=True)
class Course:
    lang: str
    title: str
    source: str
    sections: tuple[Section, ...]
    focus_areas: tuple[FocusArea, ...] = field(default=())
    trainer_sections: tuple[Section, ...] = field(default=())
    # A lead-in sentence per question group (the trainers' discussion guide): (group id, sentence)
    leads: tuple[tuple[str, str], ...] = field(default=())

    def lead(self, group_id: str) -> str:
        return dict(self.leads).get(group_id, "")

    def section(self, key: str) -> Section:
        for s in self.sections:
            if key in (s.id, s.file, s.number):
                return s
        raise KeyError(key)

    def group(self, group_id: str) -> QuestionGroup:
        for s in self.sections:
            for g in s.groups:
                if g.id == group_id:
                    return g
        raise KeyError(group_id)

    @property
    def groups(self) -> tuple[QuestionGroup, ...]:
        return tuple(g for s in self.sections for g in s.groups)


@dataclass(frozen=True)
class _Structure:
    sections: tuple[tuple[str, str, tuple[str, ...]], ...]  # (id, file, question ids)
    focus: tuple[tuple[str, str, str], ...]  # (id, direction, rests_on)
    trainer: tuple[tuple[str, str], ...] = ()  # (id, file) of the trainers' notebooks
    source_language: str = ""  # the language the course is written in (its notebooks sit at the top)


def _structure(root: Path) -> _Structure:
    path = root / "course.yml"
    data, text = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise ContentError(path, 1, "no_sections")
    source = str(data.get("source_language") or "")
    if source not in available_languages(root):
        raise ContentError(path, line_of(text, "source_language"), "bad_source_language", lang=source,
                           available=", ".join(available_languages(root)))
    sections: list[tuple[str, str, tuple[str, ...]]] = []
    seen_ids: set[str] = set()
    seen_questions: set[str] = set()
    for i, raw in enumerate(data["sections"]):
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("file"):
            raise ContentError(path, line_of(text, "sections:") + 1, "section_needs_id", number=i + 1)
        sid, file = str(raw["id"]), str(raw["file"])
        line = line_of(text, f"id: {sid}")
        if sid in seen_ids:
            raise ContentError(path, line, "duplicate_section", id=sid)
        seen_ids.add(sid)
        if not re.fullmatch(r"\d\d-[a-z0-9-]+", file):
            raise ContentError(path, line, "bad_section_file", file=file)
        questions = tuple(str(q) for q in raw.get("questions") or ())
        for q in questions:
            if not _ID.match(q) or not q.startswith(sid + "."):
                raise ContentError(path, line_of(text, q), "bad_question_id", id=q, section=sid)
            if q in seen_questions:
                raise ContentError(path, line_of(text, q), "duplicate_question", id=q)
            seen_questions.add(q)
        sections.append((sid, file, questions))
    focus: list[tuple[str, str, str]] = []
    for raw in data.get("focus_areas") or ():
        fid, direction, rests_on = str(raw.get("id", "")), raw.get("direction"), raw.get("rests_on")
        if not _ID.match(fid) or direction not in DIRECTIONS or rests_on not in RESTS_ON:
            raise ContentError(path, line_of(text, f"id: {fid}"), "bad_focus_area", id=fid,
                               directions=" or ".join(DIRECTIONS), rests_on=" or ".join(RESTS_ON))
        if fid in {f for f, _, _ in focus}:
            raise ContentError(path, line_of(text, f"id: {fid}"), "duplicate_focus_area", id=fid)
        focus.append((fid, direction, rests_on))
    trainer: list[tuple[str, str]] = []
    for raw in data.get("trainer_notebooks") or ():
        tid, file = str(raw.get("id", "")), str(raw.get("file", ""))
        if not tid or not re.fullmatch(r"[a-z0-9-]+", file) or tid in seen_ids:
            raise ContentError(path, line_of(text, "trainer_notebooks"), "bad_trainer_notebook", id=tid)
        seen_ids.add(tid)
        trainer.append((tid, file))
    return _Structure(tuple(sections), tuple(focus), tuple(trainer), source)


def _front_matter(path: Path, text: str) -> tuple[dict[str, Any], int]:
    """Return the YAML front matter and the number of lines it takes."""
    import yaml

    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, 1, "no_front_matter")
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                meta = safe_yaml("\n".join(lines[1:end])) or {}
            except yaml.MarkedYAMLError as e:
                line = e.problem_mark.line + 2 if e.problem_mark else 1
                raise ContentError(path, line, "front_matter_yaml", problem=e.problem) from None
            if not isinstance(meta, dict):
                raise ContentError(path, 2, "front_matter_mapping")
            return meta, end + 1
    raise ContentError(path, 1, "front_matter_unclosed")


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def parse_section(path: Path, sid: str, file: str, declared: tuple[str, ...],
                  notebook: NotebookKind = "section") -> Section:
    """Split one section file into text, question and directive blocks, checked against `declared`."""
    if not path.exists():
        raise ContentError(path, 1, "section_missing", file=file)
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    meta, offset = _front_matter(path, text)
    title = str(meta.get("title") or "").strip()
    if not title:
        raise ContentError(path, 1, "no_title")
    lines = text.split("\n")
    body = "\n".join(lines[offset:])
    blocks: list[Block] = []
    found: list[str] = []
    cursor = 0  # body line where the pending text starts

    def flush_text(until: int) -> None:
        chunk = "\n".join(lines[offset + cursor: offset + until]).strip("\n")
        if chunk.strip():
            blocks.append(TextBlock(chunk))

    for tok in _markdown().parse(body):
        if tok.type != "fence" or tok.level != 0 or not tok.info.strip().startswith("{") or not tok.map:
            continue
        start, end = tok.map  # 0-based body lines, end exclusive
        line = offset + start + 1
        m = re.fullmatch(r"\{([a-z-]+)\}\s*(\S*)\s*", tok.info.strip())
        if not m or m.group(1) not in BLOCK_KINDS:
            raise ContentError(path, line, "unknown_block", info=tok.info.strip(),
                               known=", ".join(f"{{{d}}}" for d in BLOCK_KINDS))
        closing = lines[offset + end - 1].strip() if end - start > 1 else ""
        if not closing.startswith(tok.markup):
            raise ContentError(path, line, "block_unclosed")
        name, arg = m.groups()
        kind = BLOCK_KINDS[name]
        if kind.notebook != notebook:
            raise ContentError(path, line, "block_not_here", name=name, kind=notebook, allowed=kind.notebook)
        flush_text(start)
        cursor = end
        if not kind.takes_id:
            if arg:
                raise ContentError(path, line, "block_takes_no_id", name=name)
            blocks.append(DirectiveBlock(kind))
            continue
        if not arg:
            raise ContentError(path, line, "question_needs_id")
        if arg in found:
            raise ContentError(path, line, "duplicate_question", id=arg)
        if arg not in declared:
            raise ContentError(path, line, "unknown_question", id=arg, section=sid,
                               declared=", ".join(declared) or "none")
        questions = tuple(q.strip() for q in tok.content.split("\n") if q.strip())
        if not questions:
            raise ContentError(path, line, "empty_question", id=arg)
        found.append(arg)
        blocks.append(QuestionBlock(QuestionGroup(arg, questions)))
    flush_text(len(lines) - offset)
    missing = [q for q in declared if q not in found]
    if missing:
        raise ContentError(path, 1, "groups_missing", ids=", ".join(missing))
    if found != list(declared):
        raise ContentError(path, 1, "groups_order", ids=", ".join(found))
    return Section(sid, file, title, tuple(blocks))


def load_course(lang: str | None = None, root: Path | None = None) -> Course:
    """Load and validate the whole course in one language, by default the source language (an unknown
    language: ParameterError)."""
    root = Path(root) if root else paths.content_dir()
    lang = lang or paths.source_language(root)
    check_language(lang, root)
    return _load_course(lang, root.resolve())


@lru_cache(maxsize=8)
def _load_course(lang: str, root: Path) -> Course:
    """Parsed once per process, and kept in the user's cache for the next kernel (course/kept.py)."""
    return kept(f"course-{lang}", root, lambda: _parse_course(lang, root))


def _parse_course(lang: str, root: Path) -> Course:
    structure = _structure(root)
    meta_path = root / lang / "course.yml"
    meta, meta_text = load_yaml(meta_path)
    if not isinstance(meta, dict):
        raise ContentError(meta_path, 1, "meta_mapping")
    for key in ("title", "source"):
        if not str(meta.get(key) or "").strip():
            raise ContentError(meta_path, 1, "meta_missing", key=key)
    sections = tuple(parse_section(root / lang / f"{file}.md", sid, file, declared)
                     for sid, file, declared in structure.sections)
    trainer = tuple(parse_section(root / lang / f"{file}.md", tid, file, (), "trainer")
                    for tid, file in structure.trainer)
    texts = meta.get("focus_areas") or {}
    areas = []
    for fid, direction, rests_on in structure.focus:
        entry = texts.get(fid) if isinstance(texts, dict) else None
        if not isinstance(entry, dict) or not entry.get("label") or not entry.get("basis"):
            raise ContentError(meta_path, line_of(meta_text, "focus_areas"), "focus_area_text", id=fid)
        areas.append(FocusArea(fid, str(entry["label"]), direction, str(entry["basis"]).strip(),  # type: ignore[arg-type]
                               rests_on))  # type: ignore[arg-type]
    extra = set(texts) - {f for f, _, _ in structure.focus} if isinstance(texts, dict) else set()
    if extra:
        name = sorted(extra)[0]
        raise ContentError(meta_path, line_of(meta_text, name + ":"), "unknown_focus_area", id=name)
    leads = _leads(meta_path, meta_text, meta.get("discussion"), [g.id for s in sections for g in s.groups])
    # The footer names the course's version: the notebooks built from it say which course they are.
    source = str(meta["source"]).strip().replace("{version}", __version__)
    return Course(lang, str(meta["title"]).strip(), source, sections, tuple(areas), trainer, leads)


def _leads(path: Path, text: str, raw: Any, group_ids: list[str]) -> tuple[tuple[str, str], ...]:
    """The discussion guide's lead-in sentence for every question group, in course order."""
    raw = raw if isinstance(raw, dict) else {}
    for key in raw:
        if key not in group_ids:
            raise ContentError(path, line_of(text, f"{key}:"), "unknown_lead", id=key)
    missing = [g for g in group_ids if not str(raw.get(g) or "").strip()]
    if missing:
        raise ContentError(path, line_of(text, "discussion:"), "leads_missing", ids=", ".join(missing))
    return tuple((g, str(raw[g]).strip()) for g in group_ids)


def parse_course(lang: str, root: Path | None = None) -> Course:
    """The course parsed from its files now, not the copy kept in this process (for the build)."""
    root = Path(root) if root else paths.content_dir()
    check_language(lang, root)
    return _parse_course(lang, root.resolve())
