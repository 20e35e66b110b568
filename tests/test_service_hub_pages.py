"""The course's hub speaks Norwegian and names the course, and the trainer approves many at once (issue 25,
item 6), on the real hub (deploy/'s, started as tests/test_hub.py starts it) with real system users.

What is shown: the login and sign-up pages carry the course's name in bokmål (in Chromium, at 1366 px,
390 px and 200 % zoom); NativeAuthenticator's answers (sent for approval, not approved yet) are worded in
bokmål; `lederkurs approve --waiting`, run as the trainer with his server's kind of token, approves every
sign-up that waits; `--file` approves a list, and a name on it that has not signed up yet is approved the
moment she does; a participant's token is refused.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.root, pytest.mark.browser]

if os.geteuid() != 0:
    pytest.skip("needs root: the hub starts servers as system users", allow_module_level=True)

import test_service_hub  # noqa: E402
from lederkurs.course.content import load_course  # noqa: E402
from test_hub import VENV_BIN, Web, approved, log_in, logged_in, running, sign_up  # noqa: E402
from test_service_hub import ServiceHub, start_service_hub  # noqa: E402

import browser_support  # noqa: E402

installed = test_service_hub.installed  # the install fixture (start-hub.sh install)
COURSE = load_course("nb").title


@pytest.fixture(scope="module")
def service(installed: None) -> Iterator[ServiceHub]:
    sh = start_service_hub(create_users=False)
    with running(sh.hub):
        yield sh


def test_the_login_page_shows_the_courses_name_in_norwegian(service: ServiceHub, browser) -> None:
    from playwright.sync_api import expect

    hub = service.hub
    name, password = service.user("kari"), secrets.token_urlsafe(12)
    ctx, page = browser_support.new_page(browser)
    try:
        page.goto(f"{hub.url}hub/login")
        expect(page.get_by_role("heading", name=f"Logg inn på «{COURSE}»")).to_be_visible()
        expect(page).to_have_title(f"{COURSE} – kursserver")
        assert page.evaluate("document.documentElement.lang") == "nb"
        expect(page.get_by_label("Brukernavn")).to_be_visible()
        expect(page.get_by_role("button", name="Logg inn")).to_be_visible()
        browser_support.shot(page, "hub-login-1366.png")
        page.set_viewport_size({"width": 390, "height": 844})
        browser_support.shot(page, "hub-login-390.png")
        page.set_viewport_size({"width": 683, "height": 450})  # 1366 × 900 at 200 % zoom
        browser_support.shot(page, "hub-login-200pct.png")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_role("link", name="Registrer deg").click()
        expect(page.get_by_role("heading", name=f"Registrer deg på «{COURSE}»")).to_be_visible()
        said = sign_up(page, hub, name, password)
        assert "Registreringen er mottatt" in said, said
        browser_support.shot(page, "hub-signup-sent.png")
        log_in(page, hub, name, password)
        expect(page.get_by_text(f"Du er registrert som {name}, men kursholderen har ikke godkjent deg ennå"))\
            .to_be_visible()
        browser_support.shot(page, "hub-login-not-approved.png")
        assert not [e for e in page.lk_errors if "pageerror" in e], page.lk_errors
    finally:
        ctx.close()


def test_the_trainer_approves_everyone_waiting_and_a_list_at_once(service: ServiceHub) -> None:
    hub = service.hub
    waiting = [service.user(f"vent{i}") for i in range(3)]
    later = service.user("senere")
    passwords = {n: secrets.token_urlsafe(12) for n in [*waiting, later]}
    for n in waiting:
        assert "Registreringen er mottatt" in Web(hub).sign_up(n, passwords[n])
    assert [approved(hub, n) for n in waiting] == [False, False, False]
    # The trainer's terminal: his server's environment has the hub's API URL and his token.
    env = ["env", f"JUPYTERHUB_API_TOKEN={service.token(hub.trainer)}", f"JUPYTERHUB_API_URL={hub.url}hub/api"]
    done = hub.as_trainer(*env, VENV_BIN / "lederkurs", "approve", "--waiting")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Godkjent nå: ") and all(n in done.stdout for n in waiting), done.stdout
    assert [approved(hub, n) for n in waiting] == [True, True, True]
    status, _, _ = Web(hub).log_in(waiting[0], passwords[waiting[0]])
    # A list, with a comment, one name already approved and one that has not signed up yet.
    home = hub.as_trainer("sh", "-c", "echo $HOME").stdout.strip()
    listing = f"# kull 1\n{waiting[0]}\n{later}\n"
    assert hub.as_trainer("sh", "-c", f"printf '%s' '{listing}' > deltakere.txt").returncode == 0
    done = hub.as_trainer(*env, VENV_BIN / "lederkurs", "approve", "--file", f"{home}/deltakere.txt")
    assert done.returncode == 0, done.stderr
    assert "Var godkjent fra før: 1" in done.stdout and f"På deltakerlisten, godkjennes når de registrerer seg: 1 – " \
        f"{later}" in done.stdout, done.stdout
    assert approved(hub, later) is None  # no sign-up yet
    assert "Registreringen er mottatt" in Web(hub).sign_up(later, passwords[later])
    assert approved(hub, later) is True
    web = Web(hub)
    assert logged_in(*web.log_in(later, passwords[later])[:2])
    # A participant's token holds no approval scope: refused, and nothing changes.
    other = service.user("ikkegodkjent")
    Web(hub).sign_up(other, secrets.token_urlsafe(12))
    mine = ["env", f"JUPYTERHUB_API_TOKEN={service.token(later)}", f"JUPYTERHUB_API_URL={hub.url}hub/api"]
    done = hub.as_trainer(*mine, VENV_BIN / "lederkurs", "approve", "--waiting")
    assert done.returncode == 2 and "Huben sa nei (HTTP 403)" in done.stderr, (done.stdout, done.stderr)
    assert approved(hub, other) is False
    assert status == 302
