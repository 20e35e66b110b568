"""Taking answers along: the download carries the exact file, an upload never loses anything."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from lederkurs import start
from lederkurs.answers.model import SCHEMA
from lederkurs.answers.store import AnswerStore


def _link_bytes(html: str) -> tuple[str, bytes]:
    name, data = re.search(r'<a [^>]*download="([^"]+)" href="data:application/json;base64,([^"]+)"', html).groups()
    return name, base64.b64decode(data)


def test_download_link_carries_the_exact_bytes_and_follows_saves(answers_dir: Path) -> None:
    kurs = start("01", participant="kari", answers_dir=str(answers_dir))
    box = kurs.question("brobygger.relasjoner")
    link = kurs.take_away()
    box.text.value = "Første versjon 😀"
    box.flush()
    name, data = _link_bytes(link.value)
    assert name == "kari.json" and data == (answers_dir / "kari.json").read_bytes()
    box.text.value = "Andre versjon"
    box.flush()
    assert _link_bytes(link.value)[1] == (answers_dir / "kari.json").read_bytes()


def _upload(answers_dir: Path):
    return start("09", participant="kari", answers_dir=str(answers_dir)).summary().upload


def _file(participant: str = "kari", schema: int = SCHEMA, **answers: str) -> bytes:
    return json.dumps({"schema": schema, "participant": participant, "answers": {
        k.replace("__", "."): {"text": v, "updated": "2026-11-01T10:00:00+01:00"} for k, v in answers.items()},
        "focus": {}}, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("data, message", [
    (b"x" * (5 * 2**20 + 1), "Filen kan ikke brukes: filen er for stor (5.0 MB; grensen er 5 MB)"),
    (b"{ ikke json", "Filen kan ikke brukes: ikke gyldig JSON"),
    (b'{"schema": \xc3\x28}', "Filen kan ikke brukes: filen er ikke tekst i UTF-8"),
    ('{"hei": "på deg"}'.encode(), "Filen kan ikke brukes: ikke en svarfil fra dette kurset"),
    (_file(schema=SCHEMA + 1), "Filen kan ikke brukes: filen er laget av en nyere versjon av kurset"),
])
def test_bad_uploads_are_refused_and_change_nothing(answers_dir: Path, data: bytes, message: str) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", "mitt svar")
    before = sorted((p.name, p.read_bytes()) for p in answers_dir.iterdir())
    upload = _upload(answers_dir)
    upload.receive(data)
    assert message in upload.status.value and 'role="alert"' in upload.status.value
    assert sorted((p.name, p.read_bytes()) for p in answers_dir.iterdir()) == before


def test_upload_without_conflicts_is_taken_in_after_a_backup(answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", "mitt svar")
    before = store.path.read_bytes()
    upload = _upload(answers_dir)
    upload.receive(_file(hatter__roller="fra forrige økt", brobygger__relasjoner="mitt svar"))
    doc = store.load()
    assert doc.answers["hatter.roller"].text == "fra forrige økt"
    assert doc.answers["brobygger.relasjoner"].text == "mitt svar"
    backups = list(answers_dir.glob("kari.sikkerhetskopi-*.json"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert "1 nytt, 0 erstattet, 0 slått sammen" in upload.status.value


@pytest.mark.parametrize("choice, expected", [
    ("mine", "mitt svar"),
    ("theirs", "svar fra fila"),
    ("both", "mitt svar\n\n--- Fra opplastet fil ---\nsvar fra fila"),
])
def test_the_participant_chooses_on_conflicts(answers_dir: Path, choice: str, expected: str) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", "mitt svar")
    upload = _upload(answers_dir)
    upload.receive(_file(brobygger__relasjoner="svar fra fila", hatter__roller="nytt"))
    assert "1 spørsmål har svar både nå og i filen" in upload.status.value
    assert upload.choose.layout.display == ""
    assert store.load().answers["brobygger.relasjoner"].text == "mitt svar"  # nothing changed before choosing
    upload.choice.value = choice
    upload.apply.click()
    doc = store.load()
    assert doc.answers["brobygger.relasjoner"].text == expected
    assert doc.answers["hatter.roller"].text == "nytt"
    assert len(list(answers_dir.glob("kari.sikkerhetskopi-*.json"))) == 1


def test_an_upload_saved_under_another_name_is_taken_in_only_when_confirmed(answers_dir: Path) -> None:
    upload = _upload(answers_dir)
    upload.receive(_file("jovyan", system__kontekst="fra Binder"))
    assert "Filen er lagret av deltakeren «jovyan», ikke av deg («kari»)" in upload.status.value
    assert "system.kontekst" not in AnswerStore(answers_dir, "kari").load().answers  # nothing before asking
    assert upload.choose.layout.display == "" and upload.choice.layout.display == "none"
    upload.apply.click()
    doc = AnswerStore(answers_dir, "kari").load()
    assert doc.participant == "kari" and doc.answers["system.kontekst"].text == "fra Binder"
