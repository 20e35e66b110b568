"""«Del svarene med kursholder» through the sharing service, end to end on the real hub, in a real browser.

One hub (deploy/'s, SQLite store), a trainer and two participants who sign up through NativeAuthenticator's
form. Anna shares from notebook 09 by clicking the button (her kernel calls the service with her server's
token); Bjørn's own server's token, from his kernel, can neither read, list, replace nor withdraw her share;
the trainer's page works through the hub's OAuth in Chromium; his own copy holds the cohort notebook; the
documented `lederkurs render --from-shares --out ~/lederkurs/gjengitt` (his server's environment) fetches
what was shared and renders it, holding Anna; he opens gjengitt/index.html in JupyterLab and follows the link
to Anna's page; Anna withdraws with the button, and the trainer's page then holds nobody.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import secrets
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.root, pytest.mark.browser]

if os.geteuid() != 0:
    pytest.skip("needs root: the hub starts servers as system users", allow_module_level=True)

import test_service_hub  # noqa: E402
from test_hub import (  # noqa: E402
    HUB_TIMEOUT,
    VENV_BIN,
    log_in,
    open_notebook,
    running,
    sign_up_all,
    wait_notebook,
)
from test_service_hub import ServiceHub, start_service_hub  # noqa: E402

import browser_support  # noqa: E402

ANSWER = "Jeg bygger bro ved å snakke med begge nivåer hver uke."
GROUP = "brobygger.relasjoner"


installed = test_service_hub.installed  # the install fixture (start-hub.sh install)


@pytest.fixture(scope="module")
def service(installed: None) -> Iterator[ServiceHub]:
    prefix = f"lk{secrets.token_hex(3)}-"
    sh = start_service_hub(prefix, create_users=False, LEDERKURS_PARTICIPANTS=f"{prefix}anna,{prefix}bjorn")
    with running(sh.hub):
        yield sh


def _staging() -> set[str]:
    """The render's fetched shares' folders (lederkurs-shares-*) in the system's temporary folder."""
    return {p.name for p in Path("/tmp").glob("lederkurs-shares-*")}


def client_code(call: str) -> str:
    """Kernel code: the service client as the notebook makes it (from the server's environment)."""
    return textwrap.dedent(f"""
        from lederkurs.answers import service_client as sc
        from lederkurs.errors import LederkursError
        client = sc.configured()
        try:
            result = {call}
        except LederkursError as e:
            result = {{'refused': e.key, 'values': {{k: str(v) for k, v in e.values.items()}}}}
    """)


def test_share_through_the_widget_render_the_trainers_page_and_withdraw(service: ServiceHub, browser) -> None:
    from playwright.sync_api import expect

    hub = service.hub
    anna, bjorn, trainer = service.user("anna"), service.user("bjorn"), hub.trainer
    passwords = {name: secrets.token_urlsafe(12) for name in (anna, bjorn, trainer)}
    ctx, page = browser_support.new_page(browser)
    try:
        sign_up_all(page, hub, passwords)
        assert "kursholdere" in hub.user_model(trainer)["groups"]

        # Anna opens notebook 09 (her server starts), with one answer saved.
        log_in(page, hub, anna, passwords[anna], next_path="/hub/user-redirect/lab/tree/09-oppsummering.ipynb")
        panel = wait_notebook(page, "09-oppsummering.ipynb")
        saved = hub.run(anna, f"""
            import os
            from lederkurs.answers.store import AnswerStore
            store = AnswerStore(os.environ['LEDERKURS_ANSWERS_DIR'], os.environ['JUPYTERHUB_USER'])
            store.set_answer({GROUP!r}, {ANSWER!r})
            result = [str(store.path), os.environ['LEDERKURS_SERVICE_URL']]
        """)
        assert saved["ok"], saved
        answers_file = Path(saved["value"][0])
        # Opened again, the notebook runs itself (participant mode) and holds the saved answer.
        panel = open_notebook(page, hub, anna, "09-oppsummering.ipynb")
        share = panel.get_by_role("button", name="Del svarene med kursholder")
        expect(share).to_be_visible(timeout=HUB_TIMEOUT)
        expect(panel.get_by_text("Du har ikke delt svarene dine med kursholderen.")).to_be_visible()
        share.click()
        expect(panel.get_by_text("Svarene er delt med kursholderen.")).to_be_visible(timeout=30_000)
        shared_line = re.compile(r"Delt med kursholderen \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}")
        expect(panel.get_by_text(shared_line)).to_be_visible()
        browser_support.shot(page, "service-anna-09-shared.png")
        shared_bytes = answers_file.read_bytes()
        trainer_token = service.token(trainer)
        assert service.call("GET", f"api/shares/{anna}", trainer_token) == (200, shared_bytes)

        # Bjørn's server's token (his kernel's JUPYTERHUB_API_TOKEN): nothing of Anna's.
        hub.start_server(bjorn)
        for call, expected in (
            (f"client.read({anna!r})", "service_refused"),
            ("client.shares()", "service_refused"),
            (f"client.share(client.read({anna!r}))", "service_refused"),
            # Bjørn sends a file that says it is Anna's: refused, and worded for him.
            (f"client.share(b'{{\"schema\": 1, \"participant\": \"{anna}\"}}')", "share_other_participant"),
        ):
            got = hub.run(bjorn, client_code(call))
            assert got["ok"] and got["value"]["refused"] == expected, (call, got)
        got = hub.run(bjorn, client_code("[client.withdraw(), client.mine()]"))
        assert got["value"] == [False, None], got  # his withdraw is his own: nothing
        assert service.call("GET", f"api/shares/{anna}", trainer_token) == (200, shared_bytes)

        # The trainer's page, through the hub's OAuth, in the browser.
        tctx, tpage = browser_support.new_page(browser)
        try:
            log_in(tpage, hub, trainer, passwords[trainer])
            tpage.wait_for_url(re.compile(r".*/(user|hub)/.*"), timeout=HUB_TIMEOUT)
            tpage.goto(f"{hub.url}services/lederkurs/")
            expect(tpage.get_by_role("heading", name="Delte svar")).to_be_visible(timeout=30_000)
            link = tpage.get_by_role("link", name=re.compile(rf"^{anna} \(delt "))
            expect(link).to_be_visible()
            browser_support.shot(tpage, "service-trainer-page.png")
            with tpage.expect_download() as download:
                link.click()
            assert Path(download.value.path()).read_bytes() == shared_bytes

            # His own copy on the hub holds the cohort notebook (his server started at the login).
            hub.wait_ready(trainer)
            home = Path(pwd.getpwnam(trainer).pw_dir)
            assert (home / "lederkurs" / "kursholder-kull.ipynb").is_file()
            assert not (Path(pwd.getpwnam(anna).pw_dir) / "lederkurs" / "kursholder-kull.ipynb").exists()

            # The documented render, in his terminal (his server's environment: the service's URL and his
            # server's token): the shares are fetched into a private folder and rendered; Anna is there.
            staging_before = _staging()
            out = home / "lederkurs" / "gjengitt"
            service_env = ["env", f"JUPYTERHUB_API_TOKEN={trainer_token}",
                           f"LEDERKURS_SERVICE_URL={hub.url}services/lederkurs/"]
            done = hub.as_trainer(*service_env, VENV_BIN / "lederkurs", "render", "--from-shares", "--out", out,
                                  "--jobs", "1", "--quiet")
            assert done.returncode == 0, done.stderr
            assert {p.name for p in out.iterdir() if p.is_dir()} == {anna}
            assert ANSWER in (out / anna / "09-oppsummering.html").read_text(encoding="utf-8")
            assert _staging() == staging_before  # the fetched copies are gone again
            # Without the service (no URL in the environment) the command says so, in Norwegian.
            refused = hub.as_trainer(VENV_BIN / "lederkurs", "render", "--from-shares", "--out", out)
            assert refused.returncode == 2 and "virker bare på kursserveren" in refused.stderr, refused.stderr

            # He opens index.html in JupyterLab's file browser and follows the link to Anna's page.
            followed: list[str] = []  # what the viewer's frame asked for, for the message if the link fails
            tpage.on("response", lambda r: followed.append(f"{r.status} {r.url}") if "/files/" in r.url else None)
            tpage.goto(f"{hub.url}user/{trainer}/lab/tree/gjengitt/index.html")
            viewer = tpage.frame_locator(".jp-HTMLViewer iframe")
            anna_link = viewer.locator(f"a[href^='{anna}/']").first
            expect(anna_link).to_be_visible(timeout=HUB_TIMEOUT)
            browser_support.shot(tpage, "service-trainer-index-in-lab.png")
            anna_link.click()
            try:
                expect(viewer.get_by_text(ANSWER)).to_be_visible(timeout=30_000)
            except AssertionError:
                browser_support.shot(tpage, "FAILED-service-trainer-followed-link-in-lab.png")
                raise AssertionError(f"the link did not open Anna's page: {followed}, {hub.log_tail(15)}") from None
            browser_support.shot(tpage, "service-trainer-followed-link-in-lab.png")

            # He opens the cohort notebook from his copy (it runs itself), picks «Delte svar» in its folder
            # chooser (fetched through the service with his server's token), and Anna's answer is there,
            # inside one box under «Deltaker N» (no names without the consent box).
            cohort = open_notebook(tpage, hub, trainer, "kursholder-kull.ipynb")
            chooser = cohort.get_by_role("combobox", name="Svarmappe")
            expect(chooser).to_be_visible(timeout=HUB_TIMEOUT)
            expect(cohort.locator(".lk-said").first).to_be_attached(timeout=HUB_TIMEOUT)  # the sample cohort
            chooser.select_option(label="Delte svar (sendt til deg gjennom kurset)")
            expect(cohort.get_by_text("Viser 1 deltaker fra «Delte svar")).to_be_visible(timeout=30_000)
            said = cohort.locator(".lk-said", has_text=ANSWER)
            expect(said).to_have_count(1, timeout=30_000)
            said.scroll_into_view_if_needed()
            expect(said.locator(".lk-who")).to_have_text(re.compile(r"^\s*Deltaker \d+\s*$"))
            expect(said.locator(".lk-answer")).to_contain_text(ANSWER)
            expect(cohort.locator(".lk-who", has_text=anna)).to_have_count(0)
            browser_support.shot(tpage, "service-trainer-cohort-shared-in-lab.png")
            chooser.scroll_into_view_if_needed()
            expect(chooser).to_have_value("Delte svar (sendt til deg gjennom kurset)")
            browser_support.shot(tpage, "service-trainer-cohort-chooser-in-lab.png")

            # Anna withdraws with the button; the trainer's page holds nobody.
            withdraw = panel.get_by_role("button", name="Trekk tilbake")
            withdraw.click()
            expect(panel.get_by_text("Svarene er trukket tilbake. Kursholderen ser dem ikke lenger.")).to_be_visible()
            expect(panel.get_by_text("Du har ikke delt svarene dine med kursholderen.")).to_be_visible()
            browser_support.shot(page, "service-anna-09-withdrawn.png")
            tpage.goto(f"{hub.url}services/lederkurs/")
            expect(tpage.get_by_text("Ingen har delt svarene sine ennå.")).to_be_visible()
        finally:
            tctx.close()
    finally:
        ctx.close()
    assert json.loads(service.call("GET", "api/shares", trainer_token)[1]) == {"shares": []}
