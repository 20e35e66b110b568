"""Rounds of reflection in the answers file: the schema-1 upgrade (with its backup), starting and renaming
rounds, goals with their history, the bounds, the store's guarantees for round operations, and merging."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lederkurs.answers.merge import merge
from lederkurs.answers.model import MAX_ROUND_NAME, MAX_ROUNDS, SCHEMA, decode_answers, read_answers_file
from lederkurs.answers.store import AnswerStore
from lederkurs.course.messages import describe
from lederkurs.errors import AnswersFileError, ParameterError, SaveError

V1 = {"schema": 1, "participant": "kari", "updated": "2026-12-06T10:00:00+01:00",
      "answers": {"overgang.refleksjon": {"text": "Desember: jeg gjør mer veiledning.",
                                          "updated": "2026-12-04T09:00:00+01:00"}},
      "focus": {"veiledning": {"before": 3, "now": 6, "updated": "2026-12-04T09:05:00+01:00"},
                "egen-1": {"before": 2, "now": 4, "label": "Ta vare på meg selv",
                           "updated": "2026-12-04T09:06:00+01:00"}}}


def _v1(folder: Path) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(V1, ensure_ascii=False, indent=2).encode()
    (folder / "kari.json").write_bytes(raw)
    return raw


def test_a_schema_1_file_reads_as_one_round_and_is_upgraded_once_with_a_backup(answers_dir: Path) -> None:
    raw = _v1(answers_dir)
    store = AnswerStore(answers_dir, "kari", backup="sikkerhetskopi")
    doc = store.load()
    assert doc.schema == 1 and len(doc.rounds) == 1
    assert doc.round_started == "2026-12-04T09:00:00+01:00"  # when she first wrote
    assert doc.answers["overgang.refleksjon"].text.startswith("Desember")
    assert (answers_dir / "kari.json").read_bytes() == raw  # reading changes nothing
    store.set_answer("hatter.roller", "ny")
    backups = list(answers_dir.glob("kari.sikkerhetskopi-v1-*.json"))
    assert len(backups) == 1 and backups[0].read_bytes() == raw
    saved = json.loads((answers_dir / "kari.json").read_text(encoding="utf-8"))
    assert saved["schema"] == SCHEMA == 2 and saved["answers"]["overgang.refleksjon"]["text"].startswith("Desember")
    assert saved["round"]["started"] == "2026-12-04T09:00:00+01:00" and saved["earlier_rounds"] == []
    store.set_answer("hatter.roller", "igjen")
    assert len(list(answers_dir.glob("kari.sikkerhetskopi-*.json"))) == 1  # once


def test_a_new_round_keeps_the_old_one_whole_and_starts_empty(answers_dir: Path) -> None:
    _v1(answers_dir)
    store = AnswerStore(answers_dir, "kari")
    first = store.load().round_started
    started = store.start_round("Oppfølging mars", seen=first)
    store.set_answer("overgang.refleksjon", "Mars: mer strategi.")
    store.set_focus("veiledning", 3, 8)
    store.set_goal("veiledning", 9)
    store.set_goal("veiledning", 8)
    doc = AnswerStore(answers_dir, "kari").load()
    assert [r.name for r in doc.rounds] == ["", "Oppfølging mars"] and doc.round_started == started
    december, march = doc.rounds
    assert december.answers["overgang.refleksjon"].text.startswith("Desember")
    assert (december.focus["veiledning"].before, december.focus["veiledning"].now) == (3, 6)
    assert march.answers["overgang.refleksjon"].text == "Mars: mer strategi."
    assert march.focus["egen-1"].label == "Ta vare på meg selv" and march.focus["egen-1"].now is None
    assert doc.goals["veiledning"].value == 8 and [h.value for h in doc.goals["veiledning"].history] == [9]
    # Another notebook that still shows December and asks again starts nothing more.
    assert store.start_round("To ganger", seen=first) == started
    assert len(AnswerStore(answers_dir, "kari").load().rounds) == 2
    store.rename_round("Desember 2026", started=december.started)
    store.rename_round("Mars")
    assert [r.name for r in AnswerStore(answers_dir, "kari").load().rounds] == ["Desember 2026", "Mars"]


def test_rounds_and_round_names_are_bounded(answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("a", "x")
    for i in range(MAX_ROUNDS - 1):
        store.start_round(f"Runde {i + 2}")
    with pytest.raises(SaveError) as err:
        store.start_round("én for mye")
    assert "12 runder" in describe(err.value, "nb")
    with pytest.raises(ParameterError):
        store.rename_round("x" * (MAX_ROUND_NAME + 1))
    with pytest.raises(ParameterError):
        store.rename_round("styre\x1btegn")
    data = json.loads((answers_dir / "kari.json").read_text(encoding="utf-8"))
    data["earlier_rounds"].append(data["earlier_rounds"][0])
    with pytest.raises(AnswersFileError) as too_many:
        decode_answers(json.dumps(data).encode())
    assert "13 runder" in describe(too_many.value, "nb")


def test_a_file_from_a_newer_course_is_still_refused(answers_dir: Path) -> None:
    answers_dir.mkdir(parents=True)
    newer = json.dumps({"schema": SCHEMA + 1, "participant": "kari"}).encode()
    (answers_dir / "kari.json").write_bytes(newer)
    store = AnswerStore(answers_dir, "kari")
    store.load()
    with pytest.raises(SaveError):
        store.start_round("Mars")
    assert (answers_dir / "kari.json").read_bytes() == newer


def _round_writer(folder: str, who: str, count: int) -> None:
    store = AnswerStore(folder, "kari")
    for i in range(count):
        if who == "a" and i in (10, 20):
            store.start_round(f"Runde {i}")
        store.set_answer(f"{who}.{i}", f"{who} svar {i}")
        store.set_goal(f"{who}-mål", i % 11)


def test_round_operations_from_two_processes_lose_nothing(answers_dir: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_round_writer, args=(str(answers_dir), who, 30)) for who in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    doc = AnswerStore(answers_dir, "kari").load()
    assert len(doc.rounds) == 3
    held = {k: a.text for r in doc.rounds for k, a in r.answers.items()}
    assert len(held) == 60 and held["a.29"] == "a svar 29" and held["b.0"] == "b svar 0"
    assert doc.goals["a-mål"].value == 29 % 11 and doc.goals["b-mål"].value == 29 % 11


CRASH = """
import os, sys, time
from lederkurs.answers.store import AnswerStore
store = AnswerStore(sys.argv[1], "kari")
def hang(fd):
    print("writing", flush=True)
    time.sleep(60)
os.fsync = hang
store.start_round("Oppfølging mars")
"""


def test_a_crash_while_starting_a_round_leaves_the_old_file_whole(answers_dir: Path) -> None:
    raw = _v1(answers_dir)
    proc = subprocess.Popen([sys.executable, "-c", CRASH, str(answers_dir)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert (answers_dir / "kari.json").read_bytes() == raw
    store = AnswerStore(answers_dir, "kari")
    store.start_round("Oppfølging mars")
    assert len(store.load().rounds) == 2


def test_merging_two_files_with_rounds_keeps_every_round(answers_dir: Path, tmp_path: Path) -> None:
    _v1(answers_dir)
    laptop = AnswerStore(answers_dir, "kari")
    laptop.start_round("Oppfølging mars")
    laptop.set_answer("overgang.refleksjon", "Mars på laptopen.")
    other_dir = tmp_path / "hub"
    _v1(other_dir)
    hub = AnswerStore(other_dir, "kari")
    hub.set_answer("hatter.roller", "Desember på huben.")
    hub.start_round("Samling juni")
    hub.set_goal("veiledning", 9)
    mine, theirs = laptop.load(), read_answers_file(other_dir / "kari.json")
    result = merge(mine, theirs, "mine", "---")
    names = [r.name for r in result.doc.rounds]
    assert result.rounds == 3 and result.rounds_added == 1
    assert sorted(names) == sorted(["", "Oppfølging mars", "Samling juni"])
    december = result.doc.rounds[0]
    assert december.answers["hatter.roller"].text == "Desember på huben."  # the shared round, merged
    assert december.answers["overgang.refleksjon"].text.startswith("Desember")
    assert result.doc.goals["veiledning"].value == 9
    assert result.doc.round_name == result.doc.rounds[-1].name  # the newest-started round is current
    again = decode_answers(result.doc.encode())
    assert [r.name for r in again.rounds] == names
    laptop.replace_all(lambda _current: result.doc)
    assert [r.name for r in AnswerStore(answers_dir, "kari").load().rounds] == names


def _with_rounds(count: int, lang: str = "nb"):
    from lederkurs.answers.model import AnswersFile, FocusRating, Goal, Round
    from lederkurs.course.content import load_course

    course = load_course(lang)
    doc = AnswersFile("kari")
    rounds = []
    for i in range(count):
        focus = {a.id: FocusRating(2 if i == 0 else None, (i * 3 + k) % 11) for k, a in enumerate(course.focus_areas)}
        focus["egen-1"] = FocusRating(1, i % 11, "W" * 40)  # the longest own label the widget accepts
        rounds.append(Round("M" * MAX_ROUND_NAME if i % 2 else "", f"2027-{i % 12 + 1:02d}-04T10:00:00+01:00", {},
                            focus, f"r{i}"))
    doc.set_rounds(rounds)
    doc.goals = {a.id: Goal(9) for a in course.focus_areas}
    return course, doc


@pytest.mark.parametrize("layout", ["wide", "narrow"])
@pytest.mark.parametrize("count", [1, 2, 12])
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_chart_over_time_draws_every_round_and_the_goal_with_no_text_clipped(count: int, lang: str,
                                                                                  layout: str) -> None:
    from lederkurs.charts.figures import over_time_figure
    from lederkurs.charts.layout import LAYOUTS
    from lederkurs.charts.rounds import describe_over_time, over_time, table
    from test_chart import _clipped, _labels_above_rows

    course, doc = _with_rounds(count, lang)
    data = over_time(course, doc)
    assert len(data.rounds) == count and all(len(a.nows) == count for a in data.areas)
    drawn = next(lay for lay in LAYOUTS if lay.name == layout)
    fig = over_time_figure(data, lang, drawn)
    assert _clipped(fig) == []
    texts = [t.get_text() for t in fig.texts + fig.axes[0].texts]
    assert sum(t == str(count) for t in texts) >= len(data.areas)  # each round's number beside its marker
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(legend) == 3  # before, round, goal: shapes, not colours
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    if drawn.labels_above:
        assert labels == [] and fig.get_size_inches()[0] * fig.dpi == drawn.width
        labels = _labels_above_rows(fig, len(data.areas))
    assert "↑" in " ".join(labels)  # the guide's direction
    sentence = describe_over_time(data, lang)
    assert sentence.count(": ") >= len(course.focus_areas)
    head, rows = table(data, lang)
    assert len(head) == count + 3 and len(rows) == len(data.areas)


def test_a_round_without_positions_is_absent_from_the_chart() -> None:
    from lederkurs.answers.model import Round
    from lederkurs.charts.rounds import over_time

    course, doc = _with_rounds(2)
    doc.set_rounds([*doc.rounds, Round("Tom", "2027-06-01T10:00:00+02:00", {}, {}, "tom")])
    data = over_time(course, doc)
    assert [r.number for r in data.rounds] == [1, 2]


def test_the_cohort_per_round_and_its_shift_between_two_rounds() -> None:
    from lederkurs.course.content import load_course
    from lederkurs.trainer.cohort import read_cohort
    from lederkurs.trainer.rounds import cohort_by_round, cohort_rounds_html, shift

    from helpers import REPO

    course, docs = load_course("nb"), read_cohort(REPO / "examples" / "cohort").docs
    per_round = cohort_by_round(course, docs)
    assert [(number, n) for number, n, _ in per_round] == [(1, 12), (2, 5)]
    rows = {r.id: r for r in shift(course, docs, 1, 2)}
    guidance = rows["veiledning"]
    assert (guidance.n_to, guidance.n_both) == (5, 5) and guidance.median_to == 7
    assert rows["detaljer"].change is not None and rows["detaljer"].change < 0  # less attention: as the guide says
    html = cohort_rounds_html(course, docs, 1, 2)
    assert "Endringen i kullet fra runde 1 til runde 2" in html and "Runde 2 (n = 5)" in html
    assert "kari" not in html and "Oppfølging mars" not in html  # anonymous
    assert "velg to forskjellige runder" in cohort_rounds_html(course, docs, 2, 2)
    assert "Ingen i kullet har mer enn én runde" in cohort_rounds_html(course, docs[:0], 1, 2)
