"""Problems in the course content, for maintainers: an error names the file and line; the words are English,
like the maintainers' docs (participants never see these). Content YAML files are read here, so every one of
them reports its problems the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import LederkursError

CONTENT_PROBLEMS = {
    "file_not_found": "file not found",
    "not_yaml": "not valid YAML: {problem}",
    "no_sections": "expected a mapping with a 'sections' list",
    "section_needs_id": "section #{number} needs 'id' and 'file'",
    "duplicate_section": "duplicate section id '{id}'",
    "bad_section_file": "section file '{file}' must look like 'NN-slug'",
    "bad_question_id": "question id '{id}' must look like '{section}.name'",
    "duplicate_question": "duplicate question id '{id}'",
    "bad_focus_area": "focus area '{id}' needs an id, a direction ({directions}) and what it rests on "
                      "(rests_on: {rests_on})",
    "duplicate_focus_area": "duplicate focus area id '{id}'",
    "bad_trainer_notebook": "trainer notebook '{id}' needs a unique id and a file name of lowercase letters, "
                            "digits and '-'",
    "no_front_matter": "section file must start with front matter ('---', 'title: ...', '---')",
    "front_matter_yaml": "front matter is not valid YAML: {problem}",
    "front_matter_mapping": "front matter must be 'key: value' lines",
    "front_matter_unclosed": "front matter is not closed with '---'",
    "section_missing": "section file missing (content/course.yml lists '{file}')",
    "no_title": "section has no title (add 'title: ...' to the front matter)",
    "unknown_block": "unknown block '{info}' (known: {known})",
    "block_unclosed": "block is not closed with ```",
    "block_takes_no_id": "block {{{name}}} takes no id",
    "block_not_here": "block {{{name}}} cannot be used in a {kind} notebook (only in {allowed} notebooks)",
    "question_needs_id": "question block needs an id: ```{{question}} section.name",
    "unknown_question": "unknown question id '{id}' (content/course.yml declares for section '{section}': "
                        "{declared})",
    "empty_question": "question block '{id}' has no questions",
    "groups_missing": "question group(s) declared in content/course.yml but missing here: {ids}",
    "groups_order": "question groups are in another order than in content/course.yml: {ids}",
    "meta_mapping": "expected 'title', 'source' and 'focus_areas'",
    "meta_missing": "missing '{key}'",
    "bad_source_language": "source_language '{lang}' is not a language of the course (one of: {available})",
    "focus_area_text": "focus area '{id}' needs 'label' and 'basis'",
    "unknown_focus_area": "unknown focus area '{id}' (not in content/course.yml)",
    "unknown_lead": "discussion lead-in for unknown question group '{id}'",
    "leads_missing": "'discussion' needs a lead-in sentence for every question group; missing: {ids}",
    "messages_mapping": "expected 'key: text' lines",
    "bad_message": "message '{key}' must be text, or plural forms with at least 'other' ({problem})",
}


class ContentError(LederkursError):
    """Bad course content: `path`:`line` and what is wrong there."""

    def __init__(self, path: Path | str, line: int, key: str, /, **values: object) -> None:
        super().__init__(key, **values)
        self.path, self.line = Path(path), line

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {CONTENT_PROBLEMS[self.key].format(**self.values)}"


def line_of(text: str, needle: str) -> int:
    """1-based line where `needle` first appears (for errors in YAML files), else 1."""
    idx = text.find(needle)
    return text.count("\n", 0, idx) + 1 if idx >= 0 else 1


def safe_yaml(text: str) -> Any:
    """YAML's safe subset, parsed by libyaml where PyYAML has it (ten times faster: a kernel parses the course)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def load_yaml(path: Path) -> tuple[Any, str]:
    """The parsed file and its text (the text finds the line of an error found later)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, 1, "file_not_found") from None
    try:
        return safe_yaml(text), text
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 1
        raise ContentError(path, line, "not_yaml", problem=e.problem) from None
