"""Every odd file a trainer or participant can meet, and a render that stops cleanly when asked.

Each test runs the real thing: real files (FIFOs, links to devices, JSON bombs), real papermill renders in
their own process group, real signals, a real tmpfs for a full or read-only disk (as root; a non-root run
uses permissions instead where it can and says so where it cannot).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lederkurs import start
from lederkurs.answers.model import MAX_BYTES, decode_answers, read_answers_file
from lederkurs.answers.store import AnswerStore
from lederkurs.course.messages import describe
from lederkurs.errors import AnswersFileError, LederkursError, SaveError
from lederkurs.trainer.cohort import read_cohort

from helpers import DEMO, lederkurs, readable_by_others

ROOT = os.geteuid() == 0
LONE = "h\ud800i"
MATH_LABEL = "Lønn $\\x$ bonus"


def _doc(participant: str, **extra: object) -> dict:
    return {"schema": 1, "participant": participant, "updated": "2026-11-20T10:00:00+01:00",
            "answers": {"brobygger.relasjoner": {"text": f"Svar fra {participant}.", "updated": ""}},
            "focus": {"veiledning": {"before": 3, "now": 8}}, **extra}


def _write(path: Path, doc: object, encoding: str = "utf-8") -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding=encoding)
    return path


def odd_folder(folder: Path) -> dict[str, str]:
    """A folder with every kind of odd entry, and two good participants; file name -> expected reason."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("kari", "ola"):
        shutil.copy(DEMO / f"{name}.json", folder / f"{name}.json")
    (folder / "bomb.json").write_text("[" * 100_000 + "]" * 100_000, encoding="ascii")
    (folder / "digits.json").write_text('{"schema": 1, "participant": "x", "n": ' + "9" * 5000 + "}", "ascii")
    _write(folder / "long.json", _doc("\U0001d504" * 64))
    os.symlink(folder / "nowhere.json", folder / "x.json")
    os.mkfifo(folder / "p.json")
    os.symlink("/dev/zero", folder / "zero.json")
    _write(folder / "Ola2.json", _doc("Ola"))  # one folder with "ola" on Windows and macOS
    _write(folder / "esc\x1b[2J.json", {"schema": 1, "participant": "esc",
                                        "answers": {"x\x1b]52;c;aGk=\x07": 5}})
    (folder / "undermappe").mkdir()
    (folder / ".skjult.json").write_text("{", encoding="ascii")
    return {
        "bomb.json": "for dypt", "digits.json": "et tall som ikke kan leses",
        "long.json": "kan ikke brukes som filnavn",
        "x.json": "finnes ikke", "p.json": "ikke en vanlig fil", "zero.json": "ikke en vanlig fil",
        "Ola2.json": "kan ikke skilles fra", "ola.json": "kan ikke skilles fra", "esc\\x1b[2J.json": "har feil form",
        "undermappe": "en mappe, ikke en svarfil",
    }


# -- reading: every entry on its own, within bounds -----------------------------------------------------


READ_COHORT = """
import sys
from lederkurs.course.messages import describe
from lederkurs.trainer.cohort import read_cohort
from pathlib import Path
cohort = read_cohort(Path(sys.argv[1]))
print("MEMBERS", " ".join(m.name for m in cohort.members))
for s in cohort.skipped:
    print("SKIP", s.path.name.encode("unicode_escape").decode("ascii"), "|", describe(s.reason, "nb"))
"""


def _read_in_child(folder: Path, user: str | None = None) -> dict[str, str]:
    """read_cohort in a child process (a FIFO must not hang the test run), optionally as another user (with
    the system's Python and a copy of the package that user can read: tests/helpers.readable_by_others)."""
    if user:
        with readable_by_others() as env:
            done = subprocess.run(["/usr/bin/python3", "-c", READ_COHORT, str(folder)], capture_output=True,
                                  text=True, timeout=60, env=env, user=user)
    else:
        done = subprocess.run([sys.executable, "-c", READ_COHORT, str(folder)], capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    skipped = {line[5:].split(" | ")[0]: line.split(" | ", 1)[1] for line in lines if line.startswith("SKIP ")}
    return {"members": next(line for line in lines if line.startswith("MEMBERS"))[8:], **skipped}


def test_each_odd_entry_is_named_and_the_good_ones_read(tmp_path: Path) -> None:
    expected = odd_folder(tmp_path / "svar")
    start_time = time.monotonic()
    found = _read_in_child(tmp_path / "svar")
    assert time.monotonic() - start_time < 30  # no FIFO or device was read
    assert found.pop("members") == "kari"
    for name, reason in expected.items():
        assert reason in found.pop(name), name
    assert found == {}  # hidden files are not answers files, and not reported


def test_names_that_collide_on_windows_or_macos_are_reported_not_merged(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", _doc("Kari"))
    _write(tmp_path / "b.json", _doc("kari"))
    _write(tmp_path / "c.json", _doc("A\u030ase"))  # "Åse" in decomposed form ...
    _write(tmp_path / "d.json", _doc("\u00c5se"))  # ... and composed: the same name to a Mac
    cohort = read_cohort(tmp_path)
    assert cohort.members == ()
    assert {s.path.name: s.reason.key for s in cohort.skipped} == {f"{n}.json": "skip_name_collision"
                                                                   for n in "abcd"}


@pytest.mark.root
@pytest.mark.skipif(not ROOT or not os.access("/usr/bin/python3", os.X_OK),
                    reason="needs root and the system's python3 to read the folder as another user (nobody)")
def test_a_file_the_trainer_cannot_read_is_named(tmp_path: Path) -> None:
    folder = Path(f"/tmp/lk-unreadable-{uuid.uuid4().hex}")
    folder.mkdir(mode=0o755)
    try:
        shutil.copy(DEMO / "kari.json", folder / "kari.json")
        os.chmod(folder / "kari.json", 0o644)
        _write(folder / "hemmelig.json", _doc("hemmelig"))
        os.chmod(folder / "hemmelig.json", 0o600)
        found = _read_in_child(folder, user="nobody")
        assert found["members"] == "kari"
        assert found["hemmelig.json"] == "filen kunne ikke leses: ingen tilgang"
    finally:
        shutil.rmtree(folder)


def test_windows_files_with_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    doc = json.loads((DEMO / "kari.json").read_text(encoding="utf-8"))
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    _write(tmp_path / "utf16.json", {**doc, "participant": "ola"}, encoding="utf-16")
    assert read_answers_file(tmp_path / "bom.json").answers == read_answers_file(DEMO / "kari.json").answers
    assert read_answers_file(tmp_path / "utf16.json").participant == "ola"
    store = AnswerStore(tmp_path, "kari")  # the store reads it too, and does not set it aside
    shutil.move(tmp_path / "bom.json", tmp_path / "kari.json")
    key = next(iter(doc["answers"]))
    assert store.load().answers[key].text == doc["answers"][key]["text"]
    assert store.problems == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["kari.json", "utf16.json"]


@pytest.mark.parametrize("updated", ["i går", "NaN", 17, None])
def test_a_time_that_is_not_a_time_does_not_block_the_participant(answers_dir: Path, updated: object) -> None:
    answers_dir.mkdir(parents=True)
    _write(answers_dir / "kari.json", {**_doc("kari"), "updated": updated,
                                        "answers": {"brobygger.relasjoner": {"text": "gammelt", "updated": updated}}})
    kurs = start("01", participant="kari", answers_dir=str(answers_dir))
    box = kurs.question("brobygger.relasjoner")
    assert box.text.value == "gammelt" and "Lagret" in box.status.value
    box.text.value = "nytt"
    box.flush()
    assert "Lagret kl." in box.status.value
    assert read_answers_file(answers_dir / "kari.json").answers["brobygger.relasjoner"].text == "nytt"


# -- the store: disks, folders and files that say no ------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs of our own (root only): can be filled up or made read-only without touching the machine."""
    if not ROOT:
        pytest.skip("needs root to mount a tmpfs")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    """Write until the disk says it is full."""
    with open(disk / "fyll", "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"x" * 4096)
        except OSError:
            pass


def test_a_full_disk_keeps_the_old_answers_and_says_so(small_disk: Path) -> None:
    store = AnswerStore(small_disk, "kari")
    store.set_answer("brobygger.relasjoner", "det som står fra før")
    before = store.path.read_bytes()
    fill(small_disk)
    kurs = start("01", participant="kari", answers_dir=str(small_disk))
    box = kurs.question("brobygger.relasjoner")
    box.text.value = "x" * 200_000
    box.flush()
    assert "Kunne ikke lagre: svarfilen kunne ikke skrives (disken er full)" in box.status.value
    assert store.path.read_bytes() == before
    assert [p.name for p in small_disk.iterdir() if p.name.endswith(".tmp")] == []


def _remount_read_only(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)


def test_a_read_only_answers_folder_shows_the_answers_and_writes_nothing(small_disk: Path) -> None:
    AnswerStore(small_disk, "kari").set_answer("brobygger.relasjoner", "lagret før")
    _remount_read_only(small_disk)
    kurs = start("01", participant="kari", answers_dir=str(small_disk))
    view = kurs.question("brobygger.relasjoner")
    assert "lagret før" in view.data and "<textarea" not in view.data  # shown, not editable
    assert "kan ikke skrives (mappen er skrivebeskyttet)" in describe(kurs.store.problems[0], "nb")
    assert "cannot be written to (the folder is read-only)" in describe(kurs.store.problems[0], "en")


def test_a_folder_where_the_answers_file_should_be_is_left_alone(answers_dir: Path) -> None:
    (answers_dir / "kari.json").mkdir(parents=True)
    (answers_dir / "kari.json" / "noe.txt").write_text("ikke mitt å flytte", encoding="utf-8")
    kurs = start("01", participant="kari", answers_dir=str(answers_dir))
    assert not kurs.store.writable
    assert "er ikke en vanlig fil" in describe(kurs.store.problems[0], "nb")
    assert (answers_dir / "kari.json" / "noe.txt").read_text(encoding="utf-8") == "ikke mitt å flytte"
    assert sorted(p.name for p in answers_dir.iterdir() if not p.name.startswith(".")) == ["kari.json"]


def test_leftovers_of_a_crashed_write_are_cleaned_and_modes_kept(answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", "første")
    assert (store.path.stat().st_mode & 0o777) == 0o600  # a new answers file is the participant's alone
    orphan = answers_dir / ".kari.json.abc123.tmp"
    orphan.write_text("halvskrevet", encoding="utf-8")
    other = answers_dir / ".ola.json.abc123.tmp"  # another participant's: not ours to remove
    other.write_text("halvskrevet", encoding="utf-8")
    os.chmod(store.path, 0o640)  # the participant chose to share it with their group
    store.set_answer("hatter.roller", "andre")
    AnswerStore(answers_dir, "kari").load()
    assert not orphan.exists() and other.exists()
    assert (store.path.stat().st_mode & 0o777) == 0o640


def test_the_store_has_the_same_size_limit_as_an_upload(answers_dir: Path) -> None:
    store = AnswerStore(answers_dir, "kari")
    store.set_answer("brobygger.relasjoner", "kort")
    before = store.path.read_bytes()
    with pytest.raises(SaveError) as err:
        store.set_answer("hatter.roller", "x" * (MAX_BYTES + 1))
    assert describe(err.value, "nb") == "svarfilen ville blitt større enn 5 MB"
    assert store.path.read_bytes() == before


# -- participant text is data, everywhere --------------------------------------------------------------


def test_a_lone_surrogate_and_a_dollar_label_reach_every_output(answers_dir: Path, tmp_path: Path) -> None:
    kurs = start("04", participant="kari", answers_dir=str(answers_dir))
    panel = kurs.focus_self()
    row = panel.add_area(MATH_LABEL)  # accepted by the widget ...
    assert row is not None
    row.before, row.now = 2, 8
    row.flush()
    AnswerStore(answers_dir, "kari").set_answer("brobygger.relasjoner", LONE)
    assert panel.chart_view.value.startswith("<picture>")  # ... and drawn, literally
    from lederkurs.charts.figures import points_figure
    from lederkurs.charts.points import focus_points
    from lederkurs.course.content import load_course

    fig = points_figure(focus_points(load_course("nb"), read_answers_file(answers_dir / "kari.json")), "nb")
    labels = [t for t in fig.axes[0].get_yticklabels() if "Lønn" in t.get_text()]
    assert [t._preprocess_math(t.get_text()) for t in labels] == [(MATH_LABEL, False)]  # no mathtext
    done = lederkurs("export", str(answers_dir / "kari.json"), "--format", "html,md,docx", "--out", str(tmp_path / "r"))
    assert done.returncode == 0, done.stderr
    assert "h\\ud800i" in (tmp_path / "r" / "kari-refleksjoner.md").read_text(encoding="utf-8")
    html = (tmp_path / "r" / "kari-refleksjoner.html").read_text(encoding="utf-8")
    assert "h\\ud800i" in html and MATH_LABEL in html
    again = start("09", participant="kari", answers_dir=str(answers_dir))  # 09 opens, every time
    assert "h\\ud800i" in again.summary().view.value


def test_upload_of_a_bomb_or_a_huge_number_is_refused_plainly(answers_dir: Path) -> None:
    upload = start("09", participant="kari", answers_dir=str(answers_dir)).summary().upload
    upload.receive(b"[" * 100_000)
    assert "Filen kan ikke brukes: filen er nøstet for dypt" in upload.status.value
    upload.receive(b'{"schema": 1, "participant": "kari", "answers": {}, "n": ' + b"1" * 5000 + b"}")
    assert "Filen kan ikke brukes: filen har et tall som ikke kan leses" in upload.status.value
    assert not (answers_dir / "kari.json").exists()


def test_upload_on_a_full_disk_says_so_and_keeps_the_old_file(small_disk: Path) -> None:
    store = AnswerStore(small_disk, "kari")
    store.set_answer("brobygger.relasjoner", "mitt")
    before = store.path.read_bytes()
    upload = start("09", participant="kari", answers_dir=str(small_disk)).summary().upload
    fill(small_disk)
    big = json.dumps(_doc("kari", answers={"hatter.roller": {"text": "y" * 300_000, "updated": ""}}))
    upload.receive(big.encode("utf-8"))
    assert "Kunne ikke lagre" in upload.status.value and "disken er full" in upload.status.value
    assert store.path.read_bytes() == before


# -- export: never over its input or an answers file -------------------------------------------------------


def test_export_never_writes_over_an_answers_file(tmp_path: Path) -> None:
    source = shutil.copy(DEMO / "kari.json", tmp_path / "kari.json")
    before = Path(source).read_bytes()
    for out in (tmp_path / "kari.json", tmp_path / "annen.json"):
        done = lederkurs("export", str(source), "--format", "md", "--out", str(out))
        assert done.returncode == 2 and "Skriver ikke over" in done.stderr and "Traceback" not in done.stderr
    assert Path(source).read_bytes() == before and not (tmp_path / "annen.json").exists()
    done = lederkurs("export", str(source), "--out", str(tmp_path / "finnes-ikke" / "r.html"))
    assert done.returncode == 2 and "finnes ikke" in done.stderr and "Traceback" not in done.stderr
    link = tmp_path / "lenke.html"
    elsewhere = tmp_path / "annet-sted.html"
    elsewhere.write_text("urørt", encoding="utf-8")
    link.symlink_to(elsewhere)
    assert lederkurs("export", str(source), "--out", str(link)).returncode == 0
    assert elsewhere.read_text(encoding="utf-8") == "urørt" and not link.is_symlink()


# -- the render: odd folders, links in --out, control characters ---------------------------------------


def _tree(folder: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            found[rel] = f"-> {os.readlink(p)}"
        elif p.is_file():
            found[rel] = p.read_bytes()
    return found


def _staging_folders() -> set[str]:
    return {p.name for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("lederkurs-render-*")}


@pytest.mark.kernel
def test_a_render_of_an_odd_folder_names_each_file_and_renders_the_rest(tmp_path: Path) -> None:
    expected = odd_folder(tmp_path / "svar")
    shutil.copy(DEMO / "nina.json", tmp_path / "svar" / "nina.json")
    out = tmp_path / "ut"
    staging = _staging_folders()
    done = lederkurs("render", "--answers", str(tmp_path / "svar"), "--out", str(out), "--notebooks", "09",
                     "--jobs", "2", timeout=300)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "\x1b" not in done.stderr + done.stdout  # no raw escapes
    assert "Ferdig: 3 av 3 notatbøker gjengitt for 2 deltakere." in done.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    for name, reason in expected.items():
        line = next(line for line in done.stderr.splitlines() if line.startswith(f"  {name}:"))
        assert reason in line
        assert name in index
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "kari", "kull.html", "kull.ipynb", "nina"]
    assert not list(out.rglob("*.json")) and _staging_folders() == staging


@pytest.mark.kernel
def test_links_inside_out_are_replaced_never_followed(tmp_path: Path) -> None:
    answers = tmp_path / "svar"
    answers.mkdir()
    shutil.copy(DEMO / "kari.json", answers)
    elsewhere = tmp_path / "annet-sted"
    elsewhere.mkdir()
    (elsewhere / "viktig.html").write_text("urørt", encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    (out / "index.html").symlink_to(elsewhere / "viktig.html")
    (out / "kari").symlink_to(elsewhere)
    (out / "kull.html").symlink_to(elsewhere / "kull.html")
    before = _tree(elsewhere)
    done = lederkurs("render", "--answers", str(answers), "--out", str(out), "--jobs", "2", timeout=300)
    assert done.returncode == 0, done.stderr
    assert _tree(elsewhere) == before
    assert not any(p.is_symlink() for p in out.rglob("*"))
    assert (out / "kari" / "09-oppsummering.html").is_file()


@pytest.mark.kernel
def test_answers_inside_the_output_folder_are_never_touched(tmp_path: Path) -> None:
    answers = tmp_path / "F" / ".staging"
    answers.mkdir(parents=True)
    shutil.copy(DEMO / "kari.json", answers)
    before = _tree(answers)
    done = lederkurs("render", "--answers", str(answers), "--out", str(tmp_path / "F"), "--jobs", "1", timeout=300)
    assert done.returncode == 0, done.stderr
    assert _tree(answers) == before


@pytest.mark.kernel
def test_out_that_is_a_file_is_refused_plainly(tmp_path: Path) -> None:
    (tmp_path / "ut").write_text("en fil", encoding="utf-8")
    done = lederkurs("render", "--answers", str(DEMO), "--out", str(tmp_path / "ut"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "er en fil, ikke en mappe" in done.stderr
    assert (tmp_path / "ut").read_text(encoding="utf-8") == "en fil"


# -- stopping: Ctrl-C and SIGTERM --------------------------------------------------------------------------


def _processes_with(marker: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if f"LEDERKURS_TEST_MARK={marker}".encode() in f.read():
                    with open(f"/proc/{pid}/cmdline", "rb") as c:
                        found.append(c.read().replace(b"\0", b" ").decode(errors="replace")[:120])
        except OSError:
            continue
    return found


@pytest.mark.kernel
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_a_render_stops_within_seconds_and_leaves_nothing_running(tmp_path: Path, how: str) -> None:
    marker = uuid.uuid4().hex
    out = tmp_path / "ut"
    staging = _staging_folders()
    proc = subprocess.Popen([sys.executable, "-m", "lederkurs.cli", "render", "--answers", str(DEMO), "--out",
                             str(out), "--notebooks", "04,09", "--jobs", "2"],
                            env={**os.environ, "LEDERKURS_TEST_MARK": marker}, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/*.html")) and time.monotonic() < deadline:  # wait until work is under way
        assert proc.poll() is None, proc.communicate()[1]
        time.sleep(0.2)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: the whole process group
    else:
        proc.terminate()  # `kill PID`: the main process only
    stdout, stderr = proc.communicate(timeout=60)  # it stops (how fast: bench, not here)
    assert proc.returncode == 130, stderr
    deadline = time.monotonic() + 60  # a kernel whose worker is gone ends by itself (its parent poller)
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_with(marker) == []
    assert _staging_folders() == staging
    assert not list(out.rglob("*.json"))
    assert "Avbrutt:" in stdout and "Traceback" not in stderr
    assert "avbrutt før alt var ferdig" in (out / "index.html").read_text(encoding="utf-8")
    again = lederkurs("render", "--answers", str(DEMO), "--out", str(out), "--notebooks", "09", "--jobs", "2",
                      timeout=300)
    assert again.returncode == 0, again.stderr


# -- anything in, a valid document or a plain error out -------------------------------------------------


def test_decoding_never_raises_anything_but_a_plain_error() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                               lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30)
    documents = st.fixed_dictionaries({"schema": st.integers(-2, 3) | json_values,
                                       "participant": st.text() | json_values,
                                       "answers": st.dictionaries(st.text(), json_values | st.fixed_dictionaries(
                                           {"text": st.text(), "updated": json_values})),
                                       "focus": st.dictionaries(st.text(), json_values | st.fixed_dictionaries(
                                           {"before": json_values, "now": st.integers(-1, 12),
                                            "label": st.text() | st.none()}))})

    def check(raw: bytes) -> None:
        try:
            doc = decode_answers(raw)
        except AnswersFileError as e:
            assert describe(e, "nb") and describe(e, "en")
            return
        assert decode_answers(doc.encode()) == doc  # what was read can be written and read back the same

    @settings(max_examples=120, deadline=None)
    @given(st.binary(max_size=2000))
    def any_bytes(raw: bytes) -> None:
        check(raw)

    @settings(max_examples=120, deadline=None)
    @given(json_values | documents)
    def any_json(value: object) -> None:
        check(json.dumps(value).encode("utf-8"))

    any_bytes()
    any_json()


def test_an_upload_of_anything_ends_in_a_sentence(answers_dir: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    upload = start("09", participant="kari", answers_dir=str(answers_dir)).summary().upload

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.binary(max_size=500) | st.builds(lambda v: json.dumps(v).encode(), st.recursive(
        st.none() | st.integers() | st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20)))
    def receive(raw: bytes) -> None:
        upload.status.value = ""
        try:
            upload.receive(raw)
        except LederkursError as e:  # pragma: no cover - would be a bug: the widget must say it itself
            pytest.fail(f"the upload raised {e!r}")
        assert upload.status.value.startswith("<p role=")

    receive()
