"""JupyterHub for the course on one server: every participant is a system user with a private home.

Started by deploy/start-hub.sh (as root), which installs what is missing, creates the trainer, the groups
and the sharing service's account, and exports the settings below. Every setting that varies between servers
comes from an environment variable with a default; start-hub.sh and tests set them, nothing else needs editing here.

  LEDERKURS_HUB_PREFIX        /opt/lederkurs-hub      venv/ (the course's wheel with its `hub` extra),
                                                      node_modules/ (the proxy), bin/lederkurs-singleuser
  LEDERKURS_HUB_DATA          /var/lib/lederkurs-hub  the hub's sqlite database, cookie secret, pid files
  LEDERKURS_HUB_IP            127.0.0.1               where the proxy listens (put TLS in front of it)
  LEDERKURS_HUB_PORT          8000                    the public port (the proxy)
  LEDERKURS_HUB_API_PORT      8081                    the hub's own port, on 127.0.0.1
  LEDERKURS_PROXY_API_PORT    8001                    the proxy's REST API, on 127.0.0.1
  LEDERKURS_TRAINER           kursholder              the trainer's user name (approves sign-ups)
  LEDERKURS_TRAINER_GROUP     lederkurs-kursholder    system group of the trainer's account
  LEDERKURS_PARTICIPANT_GROUP lederkurs-deltakere     system group of the accounts the hub created
  LEDERKURS_HOME_BASE         /home                   where participants' homes are created
  LEDERKURS_LANG              nb                      the course language copied for participants
  LEDERKURS_CULL_MINUTES      30                      stop a server idle this long (may be fractional)
  LEDERKURS_CULL_EVERY_SECONDS  (timeout / 4, 10..300)  how often the culler looks
  LEDERKURS_CULL_MAX_AGE_HOURS  0                     also stop servers older than this, active or not
                                                      (0: never); an open JupyterLab tab counts as
                                                      activity, so only this stops a forgotten tab
  LEDERKURS_KERNEL_CULL_MINUTES 15                    stop a kernel whose notebook is no longer open
  LEDERKURS_ACTIVITY_SECONDS  300                     how often servers and the proxy report activity
  LEDERKURS_SIGNUP            approve                 approve: the trainer approves each sign-up at
                                                      /hub/authorize; open: sign-up is enough
  LEDERKURS_PARTICIPANTS      (empty)                 comma-separated names: only these (and the
                                                      trainer) may sign up and log in, pre-approved
  LEDERKURS_LISTED_GROUP      deltakerliste           hub group of the names `lederkurs approve` put on
                                                      the course's list: approved when they sign up
  LEDERKURS_MAX_ACTIVE        0                       most servers running at once (0: no limit)
  LEDERKURS_SPAWN_TIMEOUT     180                     seconds a server may take to start
  LEDERKURS_MEMORY_MB         2048                    each of a participant's processes (server, kernel,
                                                      terminal) may map at most this much memory
  LEDERKURS_MAX_PROCESSES     512                     processes and threads of one participant's account
  LEDERKURS_MAX_KERNELS       6                       kernels running at once on one participant's server
  LEDERKURS_SPAWNER           local                   local: LocalProcessSpawner (tested); systemd:
                                                      jupyterhub-systemdspawner (UNTESTED, see README)
  LEDERKURS_CPU_LIMIT         1.0                     systemd only: CPUs per participant
  LEDERKURS_SUBDOMAIN_HOST    (unset)                 e.g. https://kurs.example.no: each participant's
                                                      server on <name>.kurs.example.no, an origin of its
                                                      own (needs wildcard DNS and certificate; UNTESTED)
  LEDERKURS_HUB_ADMIN_TOKEN   (unset)                 if set: an admin API token (automation, tests)
"""

from __future__ import annotations

import asyncio
import functools
import grp
import json
import os
import pwd
import re
from pathlib import Path

import nativeauthenticator

try:  # JupyterHub >= 6: a policy refusal, logged without a traceback
    from jupyterhub.spawner import SpawnException
except ImportError:  # pragma: no cover - older JupyterHub
    from tornado.web import HTTPError

    def SpawnException(message, *, reason, status_code=403):  # noqa: N802
        return HTTPError(status_code, message)

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


PREFIX = Path(env("LEDERKURS_HUB_PREFIX", "/opt/lederkurs-hub"))
VENV = PREFIX / "venv"
DATA = Path(env("LEDERKURS_HUB_DATA", "/var/lib/lederkurs-hub"))
IP = env("LEDERKURS_HUB_IP", "127.0.0.1")
PORT = int(env("LEDERKURS_HUB_PORT", "8000"))
HUB_API_PORT = int(env("LEDERKURS_HUB_API_PORT", "8081"))
PROXY_API_PORT = int(env("LEDERKURS_PROXY_API_PORT", "8001"))
TRAINER = env("LEDERKURS_TRAINER", "kursholder")
TRAINER_GROUP = env("LEDERKURS_TRAINER_GROUP", "lederkurs-kursholder")
PARTICIPANT_GROUP = env("LEDERKURS_PARTICIPANT_GROUP", "lederkurs-deltakere")
HOME_BASE = env("LEDERKURS_HOME_BASE", "/home")
LANG = env("LEDERKURS_LANG", "nb")
CULL_SECONDS = max(30, round(float(env("LEDERKURS_CULL_MINUTES", "30")) * 60))
CULL_MAX_AGE = round(float(env("LEDERKURS_CULL_MAX_AGE_HOURS", "0")) * 3600)
KERNEL_CULL_SECONDS = max(60, round(float(env("LEDERKURS_KERNEL_CULL_MINUTES", "15")) * 60))
CULL_EVERY = int(env("LEDERKURS_CULL_EVERY_SECONDS", str(min(300, max(10, CULL_SECONDS // 4)))))
ACTIVITY_SECONDS = int(env("LEDERKURS_ACTIVITY_SECONDS", "300"))
SIGNUP = env("LEDERKURS_SIGNUP", "approve")
PARTICIPANTS = {n.strip().lower() for n in env("LEDERKURS_PARTICIPANTS", "").split(",") if n.strip()}
MAX_ACTIVE = int(env("LEDERKURS_MAX_ACTIVE", "0"))
SPAWN_TIMEOUT = int(env("LEDERKURS_SPAWN_TIMEOUT", "180"))
MEMORY_MB = int(env("LEDERKURS_MEMORY_MB", "2048"))
MAX_PROCESSES = int(env("LEDERKURS_MAX_PROCESSES", "512"))
MAX_KERNELS = int(env("LEDERKURS_MAX_KERNELS", "6"))
SPAWNER = env("LEDERKURS_SPAWNER", "local")
SUBDOMAIN_HOST = env("LEDERKURS_SUBDOMAIN_HOST", "")
ADMIN_TOKEN = os.environ.get("LEDERKURS_HUB_ADMIN_TOKEN", "")

# A hub user name becomes a Linux user name as it is: lower case, starts with a letter, at most 32 chars.
# The course accepts the same names as participant names (lederkurs.answers.model.check_participant).
from lederkurs.service.participants import MAX_NAMES, USERNAME_PATTERN  # noqa: E402

LISTED_GROUP = env("LEDERKURS_LISTED_GROUP", "deltakerliste")  # names approved the moment they sign up
MIN_PASSWORD = 8
if SPAWNER not in ("local", "systemd"):
    raise ValueError(f"LEDERKURS_SPAWNER must be 'local' or 'systemd', not {SPAWNER!r}")
if SIGNUP not in ("approve", "open"):
    raise ValueError(f"LEDERKURS_SIGNUP must be 'approve' or 'open', not {SIGNUP!r}")
if not re.match(USERNAME_PATTERN, TRAINER):
    raise ValueError(f"LEDERKURS_TRAINER={TRAINER!r} is not a usable user name ({USERNAME_PATTERN})")

# --- network: everything on loopback; the proxy is the only public port -----------------------------------
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB_API_PORT}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
# --no-x-forward: the proxy passes the TLS front's X-Forwarded-Proto on as it is. By default it appends its
# own (",http"), the last value wins, and the hub then thinks the request came over plain HTTP: no Secure cookie.
c.ConfigurableHTTPProxy.command = [str(PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"),
                                   "--no-x-forward"]
c.ConfigurableHTTPProxy.pid_file = str(DATA / "proxy.pid")
c.LocalProcessSpawner.ip = "127.0.0.1"  # single-user servers: a free port each, loopback only
if SUBDOMAIN_HOST:  # a script in one participant's notebook then shares no origin with the hub or the others
    c.JupyterHub.subdomain_host = SUBDOMAIN_HOST

# --- state: database and cookie secret in the data folder (mode 0700, root) --------------------------------
c.JupyterHub.db_url = f"sqlite:///{DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(DATA / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(DATA / "jupyterhub.pid")
c.JupyterHub.tornado_settings = {
    # A page elsewhere cannot make the browser send the hub's cookies with its requests (the _xsrf cookie
    # takes these options too). Over https (the front's X-Forwarded-Proto) the hub marks them Secure itself.
    "cookie_options": {"samesite": "Lax"},
    # Browsers take HSTS only over https (RFC 6797), so plain HTTP on 127.0.0.1 is not affected.
    "headers": {"Strict-Transport-Security": "max-age=31536000"},
}

# --- who may log in: NativeAuthenticator (own sign-up form, trainer approves) -----------------------------
class _NoStatsd:
    """nativeauthenticator 1.3.0 (the newest) times each login with `self.statsd`, which JupyterHub 6
    removed (jupyterhub#5407): every login POST then fails with a 500. This stand-in does nothing; it is
    only installed while the handler lacks the attribute, so a fixed nativeauthenticator skips it."""

    def timer(self, *args, **kwargs):
        return self

    def start(self):
        return self

    def stop(self, *args, **kwargs):
        pass

    def incr(self, *args, **kwargs):
        pass


from nativeauthenticator import handlers as _native_handlers  # noqa: E402

if not hasattr(_native_handlers.LoginHandler, "statsd"):
    _native_handlers.LoginHandler.statsd = _NoStatsd()

from jupyterhub import orm  # noqa: E402
from jupyterhub.apihandlers import APIHandler  # noqa: E402
from jupyterhub.handlers import BaseHandler  # noqa: E402
from nativeauthenticator.orm import UserInfo  # noqa: E402
from tornado import web  # noqa: E402

from lederkurs.service.hubpages import template_vars  # noqa: E402

# The trainer is no hub admin and holds no access to anyone's server: a participant's notebook can carry a
# script, and all servers share the hub's origin, so a trainer who opened it would hand the script her rights.
# Her one right beyond her own server is this custom scope: the course's approval page below.
APPROVE_SCOPE = "custom:lederkurs:approve"
c.JupyterHub.custom_scopes = {
    APPROVE_SCOPE: {"description": "Approve, un-approve and delete sign-ups at /hub/authorize"},
}


def _approver_only(method):
    """The handler runs only for someone holding APPROVE_SCOPE (jupyterhub.scopes.needs_scope would check
    too, but it knows custom scopes only once the hub has started, after this file is read)."""

    @functools.wraps(method)
    def checked(self, *args):
        if self.current_user is None or APPROVE_SCOPE not in self.expanded_scopes:
            raise web.HTTPError(403)
        return method(self, *args)

    return checked


class ApprovalPage(BaseHandler):
    """/hub/authorize: every sign-up, with buttons that POST (with the hub's _xsrf token) to the two below."""

    @web.authenticated
    @_approver_only
    async def get(self) -> None:
        users = self.db.query(UserInfo).order_by(UserInfo.username).all()
        html = await self.render_template("lederkurs-authorize.html", users=users, trainer=TRAINER)
        self.finish(html)


class Approve(BaseHandler):
    """POST /hub/authorize/<name> action=approve|unapprove. NativeAuthenticator's own handler toggles on GET,
    which any page could make the trainer's browser do; a GET here is 405."""

    @_approver_only
    def post(self, name: str) -> None:
        info = UserInfo.find(self.db, name)
        action = self.get_body_argument("action", "")
        if info is None:
            raise web.HTTPError(404)
        if action not in ("approve", "unapprove") or name == TRAINER:
            raise web.HTTPError(400)
        info.is_authorized = action == "approve"
        self.db.commit()
        self.log.info("%s: %s %s", self.current_user.name, action, name)
        self.redirect(f"{self.hub.base_url}authorize#{name}")


class Discard(BaseHandler):
    """POST /hub/discard/<name>: delete a sign-up that is not approved (its Linux account and home stay)."""

    @_approver_only
    async def post(self, name: str) -> None:
        info = UserInfo.find(self.db, name)
        if info is None or info.is_authorized or name == TRAINER:
            raise web.HTTPError(404 if info is None else 400)
        user = self.find_user(name)
        if user is not None and user.spawner.active:
            await self.stop_single_user(user)
        self.db.delete(info)
        self.db.commit()
        if user is not None:
            self.users.delete(name)
        self.log.info("%s: discarded the sign-up of %s", self.current_user.name, name)
        self.redirect(f"{self.hub.base_url}authorize")


def _listed(db) -> set[str]:
    """The names on the course's list (the hub group LISTED_GROUP), put there by `lederkurs approve`."""
    group = orm.Group.find(db, LISTED_GROUP)
    return {user.name for user in group.users} if group else set()


class Participants(APIHandler):
    """POST /hub/lederkurs/participants {"approve": [names], "waiting": true|false} – `lederkurs approve`
    (lederkurs.service.participants), with a token holding APPROVE_SCOPE. A sign-up that waits is approved now
    (with "waiting": every one that waits); a name nobody has signed up with goes on the course's list, and
    its sign-up is approved at once (CourseAuthenticator.get_authed_users). Passwords stay the participants'.
    Answers what it did: {"approved": [...], "already": [...], "listed": [...]}."""

    @_approver_only
    def post(self) -> None:
        body = self.get_json_body() or {}
        names = body.get("approve", [])
        if (not isinstance(names, list) or len(names) > MAX_NAMES
                or not all(isinstance(n, str) and re.fullmatch(USERNAME_PATTERN, n) for n in names)):
            raise web.HTTPError(400, f"'approve' takes at most {MAX_NAMES} user names ({USERNAME_PATTERN})")
        wanted = list(dict.fromkeys(names))
        if body.get("waiting") is True:
            wanted += [i.username for i in self.db.query(UserInfo).filter_by(is_authorized=False).all()
                       if i.username not in wanted]
        done: dict[str, list[str]] = {"approved": [], "already": [], "listed": []}
        group = orm.Group.find(self.db, LISTED_GROUP)
        if group is None:
            group = orm.Group(name=LISTED_GROUP)
            self.db.add(group)
        for name in wanted:
            info = UserInfo.find(self.db, name)
            if info is None:
                user = self.user_from_username(name)
                if group not in user.groups:
                    user.groups.append(group)
                done["listed"].append(name)
            elif info.is_authorized:
                done["already"].append(name)
            else:
                info.is_authorized = True
                done["approved"].append(name)
        self.db.commit()
        self.log.info("%s: approved %d, listed %d", self.current_user.name, len(done["approved"]),
                      len(done["listed"]))
        self.finish(json.dumps(done))


DEVICE_COOKIE = "lederkurs-innlogget"  # signed: the name this browser last logged in as
DEVICE_DAYS = 120


class CourseAuthenticator(nativeauthenticator.NativeAuthenticator):
    """NativeAuthenticator with the course's approval page in place of its approve/discard/change-password
    pages (which act on GET and need admin:users), and a lockout that one person cannot turn on another.

    NativeAuthenticator locks a name after `allowed_failed_logins` wrong passwords, for everyone: anyone could
    lock the trainer out, again and again. Here the count is kept apart for browsers that have logged in as
    that name before (they carry a signed cookie saying so, which nobody else can make) and for all others.
    Wrong passwords from elsewhere lock only "all others"; the trainer's own browser still gets in. The
    addresses behind the proxy say nothing (every request comes from 127.0.0.1 behind a TLS front, and
    participants on the server can send any X-Forwarded-For), so they are not used.
    """

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        info = self.get_user(name)
        if info is None:  # no count for names nobody has: the table of counts stays as small as the hub
            return None
        known = handler.get_signed_cookie(DEVICE_COOKIE, max_age_days=DEVICE_DAYS) == name.encode()
        key = f"{name} {'known' if known else 'other'} browser"
        if self.is_blocked(key):
            self.log.warning("Login as %s refused: too many wrong passwords from %s", name,
                             "its browsers" if known else "browsers it never used")
            return None
        ok = info.is_authorized and info.is_valid_password(data.get("password", ""))
        if ok and info.has_2fa:
            ok = info.is_valid_token(data.get("2fa"))
        if not ok:
            self.add_login_attempt(key)
            return None
        self.successful_login(key)
        handler.set_signed_cookie(DEVICE_COOKIE, name, expires_days=DEVICE_DAYS, path=handler.hub.base_url,
                                  httponly=True, samesite="Lax", secure=handler.request.protocol == "https")
        return name

    def get_handlers(self, app):
        replaced = {r"/authorize": ApprovalPage, r"/authorize/([^/]*)": Approve, r"/discard/([^/]*)": Discard}
        handlers = [(path, replaced.get(path, handler)) for path, handler in super().get_handlers(app)
                    if not path.startswith(r"/change-password/")]
        assert set(replaced) <= {path for path, _ in handlers}, "NativeAuthenticator's routes changed"
        return [*handlers, (r"/lederkurs/participants", Participants)]

    def get_authed_users(self):
        """NativeAuthenticator approves a sign-up at once when its name is here: also the course's list."""
        return super().get_authed_users() | _listed(self.db)

    def check_allowed(self, username, authentication=None):
        """With LEDERKURS_PARTICIPANTS, the names on the course's list may log in too."""
        return super().check_allowed(username, authentication) or username in _listed(self.db)


c.JupyterHub.authenticator_class = CourseAuthenticator
# The hub's own pages in the course's language, with its name (deploy/templates/ over JupyterHub's and
# NativeAuthenticator's templates; their words from the course's messages: lederkurs.service.hubpages).
c.JupyterHub.template_paths = [str(PREFIX / "etc" / "templates"),
                               str(Path(nativeauthenticator.__file__).parent / "templates")]
c.JupyterHub.template_vars = template_vars(LANG, min_password=MIN_PASSWORD)
c.Authenticator.username_pattern = USERNAME_PATTERN
c.NativeAuthenticator.open_signup = SIGNUP == "open"
c.NativeAuthenticator.minimum_password_length = MIN_PASSWORD
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 120
# NativeAuthenticator pre-approves allowed users when they sign up: the trainer, and the listed participants.
c.Authenticator.allowed_users = PARTICIPANTS | {TRAINER}
if not PARTICIPANTS:
    # Anyone may sign up, and logs in once the trainer has approved (JupyterHub >= 5 needs the allow rule).
    c.Authenticator.allow_all = True

# --- one system user per hub user, created on first start of their server ---------------------------------
_accounts = asyncio.Lock()  # useradd takes /etc/passwd's lock: one at a time


async def _run(*cmd: str) -> None:
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {out.decode(errors='replace')}")


def _groups_of(name: str) -> set[str]:
    primary = grp.getgrgid(pwd.getpwnam(name).pw_gid).gr_name
    return {g.gr_name for g in grp.getgrall() if name in g.gr_mem} | {primary}


async def ensure_system_user(spawner) -> None:
    """pre_spawn_hook: the hub user's own Linux account, with a private home (mode 0700).

    An existing account is used only if it belongs to the course (the participant or trainer group):
    a hub user named like a system account (root, www-data, another engineer) is refused, never run as it.
    """
    name = spawner.user.name
    if not re.match(USERNAME_PATTERN, name):
        raise SpawnException(f"The user name {name!r} cannot be a Linux user name.", reason="username",
                             status_code=403)
    async with _accounts:
        try:
            pwd.getpwnam(name)
        except KeyError:
            await _run("useradd", "--create-home", "--base-dir", HOME_BASE, "--shell", "/bin/bash",
                       "--user-group", "--groups", PARTICIPANT_GROUP, "--comment", "lederkurs deltaker",
                       "-K", "HOME_MODE=0700", name)
            home = pwd.getpwnam(name).pw_dir
            os.chmod(home, 0o700)
            spawner.log.info("Created system user %s with home %s (0700)", name, home)
            return
    if not _groups_of(name) & {PARTICIPANT_GROUP, TRAINER_GROUP}:
        raise SpawnException(
            f"The name {name!r} belongs to a system account outside the course. "
            "Ask the trainer for help, or sign up with another name.",
            reason="system-account", status_code=403,
            log_message=f"Refusing to start a server as system user {name!r}: not in "
                        f"{PARTICIPANT_GROUP} or {TRAINER_GROUP}")


def _home(spawner) -> str:
    return pwd.getpwnam(spawner.user.name).pw_dir


def _pids_of(uid: int) -> list[int]:
    """The running processes of a uid (zombies, already ended, left out)."""
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid and ") Z " not in Path(entry.path, "stat").read_text():
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return pids


async def end_participants_processes(spawner) -> None:
    """post_stop_hook: when a participant's server stops, every process of her account ends with it.

    A process she detached from her terminal (`setsid nohup ... &`) is in no process group the spawner knows
    of; left running it could wait for the hub's restart and take its port (a fake login form). kill(-1)
    sent as her reaches exactly the processes she may signal: all of hers, nobody else's. Repeated while any
    are left (a process may fork while it happens; RLIMIT_NPROC bounds how many). The trainer's account is
    left alone: her render may run outside her server.
    """
    name = spawner.user.name
    try:
        pw = pwd.getpwnam(name)
    except KeyError:
        return
    if pw.pw_uid == 0 or PARTICIPANT_GROUP not in _groups_of(name) or TRAINER_GROUP in _groups_of(name):
        return
    for _ in range(20):
        if not _pids_of(pw.pw_uid):
            return
        proc = await asyncio.create_subprocess_exec(
            "setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups", "kill", "-KILL", "-1",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        await proc.wait()
        await asyncio.sleep(0.1)
    spawner.log.warning("Processes of %s still running after her server stopped: %s", name, _pids_of(pw.pw_uid))


c.Spawner.pre_spawn_hook = ensure_system_user
c.Spawner.post_stop_hook = end_participants_processes

# --- each participant's server: JupyterLab on the course, private files ----------------------------------
c.JupyterHub.spawner_class = "localprocess"
# The wrapper runs as the participant: umask 077, `lederkurs copy ~/lederkurs --lang $LEDERKURS_LANG` (never
# overwriting a notebook they changed), then starts jupyterhub-singleuser.
c.Spawner.cmd = [str(PREFIX / "bin" / "lederkurs-singleuser")]
c.Spawner.notebook_dir = "~/lederkurs"  # expanded by jupyterhub-singleuser, as the participant
# The copy puts the course language's notebooks at the top of ~/lederkurs (other languages in nn/, en/).
c.Spawner.default_url = "/lab/tree/00-innledning.ipynb"
c.Spawner.environment = {
    # No LEDERKURS_PARTICIPANT: JupyterHub sets JUPYTERHUB_USER, and the course names the participant after
    # it when LEDERKURS_PARTICIPANT is not set (tests/test_hub.py checks that it is not).
    "LEDERKURS_COURSE_DIR": lambda spawner: f"{_home(spawner)}/lederkurs",
    # Answers go to the participant's own copy. The copy's .lederkurs marker says so too, for notebooks run
    # from inside it; set explicitly, it also holds for a notebook the participant saves elsewhere.
    "LEDERKURS_ANSWERS_DIR": lambda spawner: f"{_home(spawner)}/lederkurs/answers",
    "LEDERKURS_LANG": LANG,
    # The trainer group's copies also hold the cohort notebook (lederkurs-singleuser).
    "LEDERKURS_ROLE": lambda spawner: ("trainer" if TRAINER_HUB_GROUP in {g.name for g in spawner.user.groups}
                                       else "participant"),
    "LEDERKURS_HUB_VENV": str(VENV),
    "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "JUPYTERHUB_ACTIVITY_INTERVAL": str(ACTIVITY_SECONDS),
    # Limits per participant: lederkurs-singleuser sets the first two as resource limits (ulimit -v, -u),
    # etc/jupyter/jupyter_server_config.py (the course's, found through JUPYTER_CONFIG_PATH) the third.
    "LEDERKURS_MEMORY_MB": str(MEMORY_MB),
    "LEDERKURS_MAX_PROCESSES": str(MAX_PROCESSES),
    "LEDERKURS_MAX_KERNELS": str(MAX_KERNELS),
    "JUPYTER_CONFIG_PATH": str(PREFIX / "etc" / "jupyter"),
}
c.Spawner.start_timeout = SPAWN_TIMEOUT
c.Spawner.http_timeout = SPAWN_TIMEOUT
c.JupyterHub.shutdown_on_logout = True  # logging out frees the memory at once
c.Spawner.args = [
    # No language servers are installed; without this jupyter-lsp looks for them (runs npm) on each start.
    "--LanguageServerManager.autodetect=False",
    # A kernel whose notebook tab is gone (closed, browser shut) is stopped after a while: each kernel
    # holds ~100 MB. Kernels with an open tab are never culled (cull_connected=False), so an answer box
    # on screen always has its kernel to save to.
    f"--MappingKernelManager.cull_idle_timeout={KERNEL_CULL_SECONDS}",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=False",
]
if SPAWNER == "systemd":
    # UNTESTED here (this machine has no systemd). What The Littlest JupyterHub uses: each server in a systemd
    # unit of its own, so memory and CPU are limited per participant (server and kernels together), /tmp is
    # private, and stopping the unit ends every process in it. Needs `pip install jupyterhub-systemdspawner`
    # into the hub's venv (not in requirements.lock). The course's own system users are kept (no DynamicUser);
    # the wrapper's per-process limits and the kernel limit apply as well.
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = False
    c.SystemdSpawner.mem_limit = f"{MEMORY_MB}M"
    c.SystemdSpawner.cpu_limit = float(env("LEDERKURS_CPU_LIMIT", "1.0"))
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.unit_extra_properties = {"TasksMax": str(MAX_PROCESSES)}
c.JupyterHub.active_server_limit = MAX_ACTIVE
c.JupyterHub.concurrent_spawn_limit = 20

c.JupyterHub.last_activity_interval = ACTIVITY_SECONDS  # the culler sees activity this late at most

# --- services: the idle culler, with only the scopes it needs ---------------------------------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [str(VENV / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                    f"--timeout={CULL_SECONDS}", f"--cull-every={CULL_EVERY}", f"--max-age={CULL_MAX_AGE}"],
    },
]
c.JupyterHub.load_roles = [
    # Nobody is a hub admin (also after an update from a version where the trainer was: the list is exact).
    {"name": "admin", "users": [], "services": []},
    {
        "name": "lederkurs-kursholder",
        "description": "The trainer: approves sign-ups (and has her own server, as every user)",
        "scopes": [APPROVE_SCOPE],
        "users": [TRAINER],
    },
    {
        "name": "idle-culler",
        "description": "Stop servers idle longer than LEDERKURS_CULL_MINUTES",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
]
if ADMIN_TOKEN:  # for automation and tests only: manage users and servers, act on their behalf
    c.JupyterHub.services.append({"name": "lederkurs-admin", "api_token": ADMIN_TOKEN})
    c.JupyterHub.load_roles.append({
        "name": "lederkurs-admin",
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users", "read:users"],
        "services": ["lederkurs-admin"],
    })

# --- the course's sharing service: «Del svarene med kursholder» (lederkurs.service, issue 28) ---------------
# A managed service behind the proxy at /services/lederkurs/. Who calls it comes from the hub's tokens and
# OAuth; what they may do from two custom scopes, granted by the roles below:
#   custom:lederkurs:share  every user: share, replace, show and withdraw their OWN answers file
#   custom:lederkurs:read   the trainer group: list and read every share (also on the trainer's page)
# Participants' kernels call it with their server's token (server_token_scopes), at LEDERKURS_SERVICE_URL.
#
#   LEDERKURS_SERVICE_PORT      8002                     the service's port on 127.0.0.1 (replica n: + n - 1)
#   LEDERKURS_SERVICE_USER      lederkurs-deling         the system account it runs as (start-hub.sh setup)
#   LEDERKURS_SERVICE_DATA      /var/lib/lederkurs-deling  its folder: the SQLite database (0700, its own)
#   LEDERKURS_SERVICE_DB        (empty: SQLite)          a database URL, e.g. postgresql+psycopg://u:pw@host/db
#   LEDERKURS_SERVICE_REPLICAS  1                        service processes on one database (PostgreSQL only)
#   LEDERKURS_TRAINER_HUB_GROUP kursholdere              the hub group whose members read the shares
SHARE_SCOPE, READ_SCOPE = "custom:lederkurs:share", "custom:lederkurs:read"
SERVICE_PORT = int(env("LEDERKURS_SERVICE_PORT", "8002"))
SERVICE_USER = env("LEDERKURS_SERVICE_USER", "lederkurs-deling")
SERVICE_DATA = env("LEDERKURS_SERVICE_DATA", "/var/lib/lederkurs-deling")
SERVICE_DB = os.environ.get("LEDERKURS_SERVICE_DB", "")
SERVICE_REPLICAS = int(env("LEDERKURS_SERVICE_REPLICAS", "1"))
TRAINER_HUB_GROUP = env("LEDERKURS_TRAINER_HUB_GROUP", "kursholdere")
if SERVICE_REPLICAS > 1 and not SERVICE_DB.startswith("postgresql"):
    raise ValueError("LEDERKURS_SERVICE_REPLICAS > 1 needs LEDERKURS_SERVICE_DB (PostgreSQL): "
                     "replicas must share one database")
SERVICE_NAMES = ["lederkurs"] + [f"lederkurs-{n}" for n in range(2, SERVICE_REPLICAS + 1)]

c.JupyterHub.custom_scopes.update({  # beside the approval scope above
    SHARE_SCOPE: {"description": "Share, replace and withdraw one's own answers with the trainer"},
    READ_SCOPE: {"description": "List and read the answers participants shared with the trainer"},
})
for n, name in enumerate(SERVICE_NAMES):
    c.JupyterHub.services.append({
        "name": name,
        "url": f"http://127.0.0.1:{SERVICE_PORT + n}",
        "command": [str(VENV / "bin" / "python"), "-m", "lederkurs.service"],
        "user": SERVICE_USER,
        "cwd": SERVICE_DATA,
        "environment": {"LEDERKURS_SERVICE_DATA": SERVICE_DATA, "LEDERKURS_SERVICE_DB": SERVICE_DB,
                        "LEDERKURS_LANG": LANG},
        # The trainer's browser logs in through the hub's OAuth; its token carries at most these scopes.
        "oauth_client_allowed_scopes": [SHARE_SCOPE, READ_SCOPE],
        "oauth_no_confirm": True,  # the course's own service: no "authorize access?" page in between
        "display": n == 0,  # the trainer's page in the hub's Services menu
    })
c.JupyterHub.load_roles.append({
    # JupyterHub's default `user` role ("self"), plus sharing one's own answers.
    "name": "user",
    "scopes": ["self", SHARE_SCOPE],
})
c.JupyterHub.load_roles.append({
    "name": "lederkurs-trainer-shares",
    "description": "Read the answers participants shared (the trainer's page and render)",
    "scopes": [READ_SCOPE, *(f"access:services!service={name}" for name in SERVICE_NAMES)],
    "groups": [TRAINER_HUB_GROUP],
})
c.JupyterHub.load_groups.update({TRAINER_HUB_GROUP: {"users": [TRAINER]}})
# The server's token (the kernel's JUPYTERHUB_API_TOKEN): JupyterHub's default scopes, plus the service's
# scopes its owner holds (a participant: share; the trainer: share and read).
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server", SHARE_SCOPE, READ_SCOPE]
# On this hub the trainer's also carries the approval scope, for `lederkurs approve` in her terminal (the
# course's approval endpoint above; a participant's token cannot get it, she does not hold it).
c.Spawner.server_token_scopes.append(APPROVE_SCOPE)
c.Spawner.environment["LEDERKURS_SERVICE_URL"] = f"http://127.0.0.1:{SERVICE_PORT}/services/lederkurs/"

# --- the live workshop (lederkurs.service.workshops, issue 29) ----------------------------------------------
# The trainer group starts and ends a workshop and reads its anonymous aggregate (the live page, through the
# hub's OAuth, and the cohort notebook's kernel, with its server's token). Participants join, leave and send
# their positions with the share scope they already hold: what they send is their own, as a share is.
WORKSHOP_SCOPE = "custom:lederkurs:workshop"
c.JupyterHub.custom_scopes[WORKSHOP_SCOPE] = {
    "description": "Start and end a live workshop and read its anonymous aggregate",
}
for _service in c.JupyterHub.services:
    if _service["name"] in SERVICE_NAMES:
        _service["oauth_client_allowed_scopes"].append(WORKSHOP_SCOPE)
c.JupyterHub.load_roles.append({
    "name": "lederkurs-trainer-workshop",
    "description": "Run a live workshop: start, end, and show the group's anonymous focus shift",
    "scopes": [WORKSHOP_SCOPE],
    "groups": [TRAINER_HUB_GROUP],
})
c.Spawner.server_token_scopes.append(WORKSHOP_SCOPE)
if ADMIN_TOKEN:  # automation and tests may put someone in the trainer group (a second trainer's view)
    for _role in c.JupyterHub.load_roles:
        if _role["name"] == "lederkurs-admin":
            _role["scopes"].append("admin:groups")
