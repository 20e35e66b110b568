"""Measurements of the course's JupyterHub (deploy/) on this machine: as root; not a test, nothing asserts.

    .venv/bin/python bench/hub_bench.py [login] [memory] [spawn10] [idletab] [workshop]
                                                                   (default: login memory spawn10)

login    from the login form's submit to notebook 01's answer box on screen (after Run All Cells): the
         median of 5, each on a freshly started server (the server is stopped through the API before each
         login, and each login is a fresh browser context); the first login, which also creates the system
         user and copies the notebooks, is reported on its own
memory   RSS and PSS (from /proc) of one active participant: logged in (notebook 00 opens with its
         kernel), notebook 04 opened and Run All Cells done; and the hub's own processes
spawn10  10 participants' servers started at once through the REST API (POST /hub/api/users/<name>/server
         with an admin token): seconds until all are ready; first with new system users (useradd in the
         pre_spawn_hook), then again with the users existing; the memory of the 10 idle servers
workshop the live workshop (issue 29) under load: 50 participants, each with her own token through the hub's
         proxy (their servers need not run), join and each PUT a position every second for a minute; the
         trainer's live page is open in Chromium (through the hub's OAuth). Three of them are probes that move
         one area together every 5 s: the time from the last probe's answer to that median on the trainer's
         page is the update latency (median, p95). Also each PUT's time, and the service's CPU (utime+stime
         from /proc over the minute) and memory (RSS, peak)
idletab  (about 6 minutes) does the idle culler stop a server whose JupyterLab tab stays open and untouched?
         (culling timeout 1 minute, activity reported every 20 s, watched for 4 minutes; then the same server
         without a tab)

Uses the harness of tests/test_hub.py (the same start-hub.sh, the same hub in a temporary folder, the hub venv
in LEDERKURS_HUB_TEST_PREFIX, default /opt/lederkurs-hub-test); everything it starts is stopped and every
user and folder removed afterwards. Load averages are recorded with each figure: on a shared machine they say
how much to trust it. Writes bench/results/hub.json (git-ignored) and prints it.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "hub.json"
RUNS = int(os.environ.get("HUB_BENCH_RUNS", "5"))
WATCH_S = 240  # how long a server is watched for the culler

if os.geteuid() != 0:
    sys.exit("hub_bench.py needs root: JupyterHub's LocalProcessSpawner starts each participant's server as "
             "their own system user, and the bench creates and deletes those users.")

sys.path.insert(0, str(REPO / "tests"))
import test_hub as th  # noqa: E402

import browser_support  # noqa: E402


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _uid(d: Path) -> int | None:
    try:
        return d.stat().st_uid
    except FileNotFoundError:
        return None


def _ppid(d: Path) -> int | None:
    try:
        found = re.search(r"PPid:\s+(\d+)", (d / "status").read_text())
    except FileNotFoundError:
        return None
    return int(found.group(1)) if found else None


def proc_mem(pids: list[int]) -> dict:
    """Sum of VmRSS and of Pss over the processes, in MiB, and each process's share."""
    rows, rss, pss = [], 0, 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        found_rss = re.search(r"VmRSS:\s+(\d+)", status)
        found_pss = re.search(r"^Pss:\s+(\d+)", rollup, re.M)
        if not found_rss or not found_pss:  # a zombie
            continue
        cpu_s = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        r, p = int(found_rss.group(1)), int(found_pss.group(1))
        rss, pss = rss + r, pss + p
        kind = ("kernel" if "ipykernel" in cmd else "server" if "singleuser" in cmd else
                "proxy" if "http-proxy" in cmd else "culler" if "idle_culler" in cmd else
                "hub" if "jupyterhub" in cmd else cmd[:40])
        rows.append({"pid": pid, "what": kind, "rss_mib": round(r / 1024, 1), "pss_mib": round(p / 1024, 1),
                     "cpu_s": round(cpu_s, 2)})
    return {"rss_mib": round(rss / 1024, 1), "pss_mib": round(pss / 1024, 1),
            "cpu_s": round(sum(r["cpu_s"] for r in rows), 2), "processes": rows, "loadavg": loadavg()}


def pids_of_user(name: str) -> list[int]:
    uid = th.pwd.getpwnam(name).pw_uid
    return [int(d.name) for d in Path("/proc").iterdir() if d.name.isdigit() and _uid(d) == uid]


def sign_up_open(browser, hub: th.Hub, name: str, password: str) -> None:
    ctx, page = browser_support.new_page(browser)
    try:
        assert "successful" in th.sign_up(page, hub, name, password)
    finally:
        ctx.close()


def bench_login(browser, hub: th.Hub) -> dict:
    from playwright.sync_api import expect

    name, password = f"{hub.prefix}login", secrets.token_urlsafe(12)
    sign_up_open(browser, hub, name, password)
    samples, first = [], None
    for i in range(RUNS + 1):
        if i and hub.user_model(name)["servers"]:
            hub.stop_server(name)
        ctx, page = browser_support.new_page(browser)
        try:
            th.log_in(page, hub, name, password, next_path="/hub/user-redirect/lab/tree/01-brobygger.ipynb")
            t0 = time.perf_counter()  # the submit was just clicked
            page.wait_for_url(re.compile(r".*/user/.*/lab.*"), timeout=th.HUB_TIMEOUT)
            t_lab = time.perf_counter() - t0
            panel = th.wait_notebook(page, "01-brobygger.ipynb")
            t_nb = time.perf_counter() - t0
            attempts = th.run_all(page, panel)
            expect(panel.get_by_label("Ditt svar")).to_be_visible(timeout=th.HUB_TIMEOUT)
            t_box = time.perf_counter() - t0
        finally:
            ctx.close()
        row = {"lab_url_s": round(t_lab, 2), "notebook_idle_s": round(t_nb, 2), "answer_box_s": round(t_box, 2),
               "run_all_attempts": attempts, "loadavg": loadavg()}
        print(f"  login {i}: {row}{' (first login: new system user and copy, not counted)' if i == 0 else ''}",
              file=sys.stderr)
        if i == 0:
            first = row
        else:
            samples.append(row)
    return {
        "measures": "login submit -> notebook 01's answer box visible (Run All Cells), a fresh server each run",
        "runs": RUNS,
        "median_answer_box_s": statistics.median(s["answer_box_s"] for s in samples),
        "range_answer_box_s": [min(s["answer_box_s"] for s in samples), max(s["answer_box_s"] for s in samples)],
        "median_lab_url_s": statistics.median(s["lab_url_s"] for s in samples),
        "median_notebook_idle_s": statistics.median(s["notebook_idle_s"] for s in samples),
        "samples": samples,
        "first_login_with_user_creation": first,
    }


def bench_memory(browser, hub: th.Hub) -> dict:
    from playwright.sync_api import expect

    name, password = f"{hub.prefix}mem", secrets.token_urlsafe(12)
    sign_up_open(browser, hub, name, password)
    ctx, page = browser_support.new_page(browser)
    try:
        th.log_in(page, hub, name, password)
        page.wait_for_url(re.compile(r".*/lab/tree/00-innledning\.ipynb.*"), timeout=th.HUB_TIMEOUT)
        th.wait_notebook(page, "00-innledning.ipynb")
        time.sleep(2)
        landed = proc_mem(pids_of_user(name))
        panel = th.open_notebook(page, hub, name, "04-overgang.ipynb")
        th.run_all(page, panel)
        expect(panel.locator(".lk-chart img")).to_be_visible(timeout=th.HUB_TIMEOUT)
        expect(panel.get_by_label("Ditt svar")).to_have_count(2, timeout=th.HUB_TIMEOUT)
        expect(panel.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute("data-status", "idle",
                                                                                   timeout=th.HUB_TIMEOUT)
        time.sleep(3)
        browser_support.shot(page, "hub-bench-04-run-all.png")
        active = proc_mem(pids_of_user(name))
    finally:
        ctx.close()
    hub_pids = [hub.proc.pid] + [int(d.name) for d in Path("/proc").iterdir() if d.name.isdigit()
                                 and _ppid(d) == hub.proc.pid and _uid(d) == 0]
    return {"after_login_on_00": landed, "after_04_run_all": active, "hub_proxy_culler": proc_mem(hub_pids)}


def bench_spawn10(hub: th.Hub) -> dict:
    names = [f"{hub.prefix}p{i:02d}" for i in range(10)]
    status, body = hub.api("POST", "users", {"usernames": names})
    assert status == 201, (status, body)
    out: dict = {}
    for label in ("new_system_users", "existing_system_users"):
        statuses: dict[str, int] = {}
        ready_at: dict[str, float] = {}
        load_before = loadavg()
        t0 = time.perf_counter()

        def start(n: str, statuses: dict[str, int] = statuses) -> None:
            statuses[n] = hub.api("POST", f"users/{n}/server", timeout=300)[0]

        threads = [threading.Thread(target=start, args=(n,)) for n in names]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 600
        while len(ready_at) < len(names) and time.monotonic() < deadline:
            status, users = hub.api("GET", "users?state=ready")
            for u in users if status == 200 else []:
                if u["name"] in names and u["name"] not in ready_at and u["servers"].get("", {}).get("ready"):
                    ready_at[u["name"]] = time.perf_counter() - t0
            time.sleep(0.2)
        for t in threads:
            t.join()
        times = sorted(ready_at.values())
        out[label] = {"all_ready_s": round(times[-1], 2) if len(times) == len(names) else None,
                      "first_ready_s": round(times[0], 2) if times else None,
                      "median_ready_s": round(statistics.median(times), 2) if times else None,
                      "ready": len(times), "post_statuses": sorted(statuses.values()),
                      "loadavg_before": load_before, "loadavg_after": loadavg()}
        print(f"  10 servers ({label}): {out[label]}", file=sys.stderr)
        if label == "new_system_users":
            time.sleep(3)
            mem = proc_mem([p for n in names for p in pids_of_user(n)])
            out["ten_idle_servers"] = {k: mem[k] for k in ("rss_mib", "pss_mib")}
        for n in names:
            hub.stop_server(n, timeout=120)
    return out


def _seconds_until_culled(hub: th.Hub, name: str, limit: int) -> int | None:
    """Seconds until the user's server is gone (polled every 2 s), or None if it is still there after `limit`."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if not hub.user_model(name)["servers"]:
            return round(time.monotonic() - t0)
        time.sleep(2)
    return None


def bench_idle_tab(browser) -> dict:
    """A JupyterLab tab left open and untouched: is its server culled?"""
    hub = th.start_hub(LEDERKURS_CULL_MINUTES="1", LEDERKURS_CULL_EVERY_SECONDS="10",
                       LEDERKURS_ACTIVITY_SECONDS="20", LEDERKURS_SIGNUP="open")
    try:
        name, password = f"{hub.prefix}tab", secrets.token_urlsafe(12)
        sign_up_open(browser, hub, name, password)
        ctx, page = browser_support.new_page(browser)
        try:
            th.log_in(page, hub, name, password)
            th.wait_notebook(page, "00-innledning.ipynb")
            culled_after = _seconds_until_culled(hub, name, WATCH_S)
        finally:
            ctx.close()
        hub.start_server(name)  # the same server, no tab
        culled_closed = _seconds_until_culled(hub, name, WATCH_S)
        return {"culler_timeout_s": 60, "activity_interval_s": 20, "watched_s": WATCH_S,
                "open_idle_tab_culled_after_s": culled_after, "no_tab_culled_after_s": culled_closed}
    finally:
        hub.stop()
        hub.remove()


WORKSHOP_PARTICIPANTS = int(os.environ.get("HUB_BENCH_WORKSHOP_PARTICIPANTS", "50"))
WORKSHOP_SECONDS = int(os.environ.get("HUB_BENCH_WORKSHOP_SECONDS", "60"))


def _cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _vm(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def bench_workshop(browser) -> dict:
    import random

    from playwright.sync_api import expect

    import test_service_hub as tsh

    prefix = f"lk{secrets.token_hex(3)}-"
    names = [f"{prefix}w{i:02d}" for i in range(WORKSHOP_PARTICIPANTS)]
    sh = tsh.start_service_hub(prefix, create_users=False, LEDERKURS_PARTICIPANTS=",".join(names))
    hub = sh.hub
    try:
        password = secrets.token_urlsafe(12)
        th.Web(hub).sign_up(hub.trainer, password)
        trainer = sh.token(hub.trainer)
        status, raw = sh.call("POST", "api/workshop", trainer, b'{"title": "Last"}')
        assert status == 201, raw
        wid = json.loads(raw)["workshop"]["id"]
        tokens = {n: sh.token(n) for n in names}
        for n in names:
            assert sh.call("PUT", f"api/workshop/{wid}/me", tokens[n])[0] == 200
        probes, crowd = names[:3], names[3:]
        areas = ["veiledning", "oversikt", "eksternt-fokus", "strategi", "relasjoner", "ledergruppen",
                 "enkeltmedarbeidere"]

        ctx, page = browser_support.new_page(browser)
        th.log_in(page, hub, hub.trainer, password, next_path=f"/services/lederkurs/workshop/{wid}")
        expect(page.get_by_role("heading", name="Last")).to_be_visible(timeout=120_000)
        probe_cell = page.locator('tr[data-area="detaljer"] .lk-live-now')

        stop = threading.Event()
        put_times: list[float] = []
        statuses: dict[int, int] = {}
        lock = threading.Lock()

        def participant(name: str) -> None:
            rnd = random.Random(name)
            next_at = time.monotonic() + rnd.random()
            while not stop.is_set():
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at += 1.0
                body = json.dumps({"areas": {a: [rnd.randint(0, 10), rnd.randint(0, 10)] for a in areas},
                                   "own_areas": rnd.randint(0, 3)}).encode()
                t0 = time.monotonic()
                code, _ = sh.call("PUT", f"api/workshop/{wid}/positions", tokens[name], body)
                with lock:
                    put_times.append(time.monotonic() - t0)
                    statuses[code] = statuses.get(code, 0) + 1

        pids = sh.service_pids()
        cpu0, wall0 = _cpu_seconds(pids), time.monotonic()
        threads = [threading.Thread(target=participant, args=(n,), daemon=True) for n in crowd]
        for t in threads:
            t.start()
        latencies: list[float] = []
        value = 0
        while time.monotonic() - wall0 < WORKSHOP_SECONDS:
            value = (value + 3) % 11
            body = json.dumps({"areas": {"detaljer": [5, value]}, "own_areas": 0}).encode()
            for n in probes:
                code, raw = sh.call("PUT", f"api/workshop/{wid}/positions", tokens[n], body)
                assert code == 200, raw
            sent = time.monotonic()
            expect(probe_cell).to_have_text(re.compile(rf"^{value} "), timeout=30_000)
            latencies.append(time.monotonic() - sent)
            time.sleep(max(0.0, 5 - (time.monotonic() - sent)))
        stop.set()
        for t in threads:
            t.join(timeout=30)
        cpu1, wall1 = _cpu_seconds(pids), time.monotonic()
        memory = {str(p): dict(zip(("rss_mib", "peak_mib"), (round(v, 1) for v in _vm(p)), strict=True))
                  for p in pids}
        browser_support.shot(page, "bench-workshop-live.png")
        ctx.close()
        status, raw = sh.call("DELETE", f"api/workshop/{wid}", trainer)
        assert status == 200, raw
        return {"participants": len(names), "seconds": round(wall1 - wall0, 1), "puts": len(put_times),
                "put_statuses": statuses,
                "put_ms": {"median": round(statistics.median(put_times) * 1000, 1),
                           "p95": round(_pct(put_times, 0.95) * 1000, 1),
                           "max": round(max(put_times) * 1000, 1)},
                "page_update_s": {"n": len(latencies), "median": round(statistics.median(latencies), 2),
                                  "p95": round(_pct(latencies, 0.95), 2), "max": round(max(latencies), 2)},
                "service_cpu_percent_of_one_core": round(100 * (cpu1 - cpu0) / (wall1 - wall0), 1),
                "service_memory": memory, "deleted_at_end": json.loads(raw)["deleted"],
                "loadavg": loadavg()}
    finally:
        hub.stop()
        hub.remove()


def main(argv: list[str]) -> int:
    wanted = set(argv) or {"login", "memory", "spawn10"}
    result = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    result["machine"] = {"cpus": os.cpu_count(),
                         "mem_gib": round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30, 1),
                         "platform": platform.platform(), "date": time.strftime("%Y-%m-%d %H:%M"),
                         "loadavg_at_start": loadavg()}
    result["install_s"] = round(th.install_hub(), 1)
    browser, stop_browser = browser_support.launch_browser()
    try:
        if wanted & {"login", "memory", "spawn10"}:
            hub = th.start_hub(LEDERKURS_SIGNUP="open")
            try:
                if "login" in wanted:
                    result["login_to_answer_box"] = bench_login(browser, hub)
                if "memory" in wanted:
                    result["memory"] = bench_memory(browser, hub)
                if "spawn10" in wanted:
                    result["spawn10"] = bench_spawn10(hub)
            finally:
                hub.stop()
                hub.remove()
        if "idletab" in wanted:
            result["idle_tab"] = bench_idle_tab(browser)
        if "workshop" in wanted:
            result["workshop"] = bench_workshop(browser)
    finally:
        stop_browser()
    result["machine"]["loadavg_at_end"] = loadavg()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
