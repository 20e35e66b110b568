"""Writes jupyter/voila/lederkurs/course.j2: what the Voilà start page (lederkurs/tree-lab.html) needs to know of
the course in each language (its title, the participant notebooks in order with their titles, a sentence
of introduction), as Jinja2 data the template includes. Run after the course's sections or titles change:

    .venv/bin/python jupyter/voila_start_page.py

tests/test_voila_start_page.py checks the committed file is current."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lederkurs import paths
from lederkurs.course.content import load_course
from lederkurs.course.messages import msg

HERE = Path(__file__).resolve().parent / "voila"
OUT = HERE / "lederkurs" / "course.j2"
# Each language by its own name; the folder its notebooks sit in ("" the source language's, at the top).
NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def course_data() -> dict[str, dict[str, object]]:
    source = paths.source_language()
    data = {}
    for lang in NAMES:
        course = load_course(lang)
        data["" if lang == source else lang] = {
            "lang": lang, "name": NAMES[lang], "title": course.title,
            "intro": msg(lang, "voila_start_intro"), "languages": msg(lang, "voila_start_languages"),
            "notebooks": [[f"{s.file}.ipynb", s.heading] for s in course.sections]}
    return data


def render() -> str:
    return ("{#- Written by jupyter/voila_start_page.py from content/: do not edit. -#}\n"
            "{%- set lk_course = " + json.dumps(course_data(), ensure_ascii=False, sort_keys=True) + " -%}\n"
            "{%- set lk_order = " + json.dumps(list(course_data())) + " -%}\n")


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT}\n")
