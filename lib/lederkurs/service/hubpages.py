"""The hub's own pages (login, sign-up, home, start, errors, approval) in the course's language.

deploy/templates/ override JupyterHub's and NativeAuthenticator's templates; they take every word from the
course's message catalogue through the variables made here (`c.JupyterHub.template_vars` in
deploy/jupyterhub_config.py). NativeAuthenticator hands its templates finished English sentences (a failed
login, the outcome of a sign-up); `native` words the ones it is known to send, and leaves any other as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..course.content import load_course
from ..course.messages import msg

# NativeAuthenticator 1.3.0's sentences (handlers.py) -> the catalogue's key; a named group is a value.
NATIVE_SENTENCES: tuple[tuple[str, str], ...] = (
    (r"Invalid username or password\.", "hub_native_invalid"),
    (r"User (?P<name>\S+) has not been authorized by an administrator yet\.", "hub_native_not_approved"),
    (r"Your information has been sent to the admin\.", "hub_native_sent"),
    (r"The signup was successful! You can now go to the home page and log in to the system\.", "hub_native_signed_up"),
    (r"Something went wrong!\s+It appears that this username is already in use\..*", "hub_native_taken"),
    (r"Your password did not match the confirmation\..*", "hub_native_mismatch"),
    (r"Something went wrong!\s+Be sure your username does not contain spaces, commas or slashes"
     r"(?:, your password has at least (?P<min>\d+) characters)?.*", "hub_native_refused"),
)


def native(lang: str, sentence: str, **values: object) -> str:
    """NativeAuthenticator's sentence in the course's language (an unknown one as it came)."""
    text = " ".join(str(sentence).split())
    for pattern, key in NATIVE_SENTENCES:
        if found := re.fullmatch(pattern, text):
            return msg(lang, key, **{**values, **{k: v for k, v in found.groupdict().items() if v is not None}})
    return str(sentence)


def template_vars(lang: str, min_password: int) -> dict[str, Any]:
    """What deploy/templates/ use: `t(key, **values)`, `native(sentence)`, the language and the course's name.

    JupyterHub calls a callable in template_vars with the page's user and puts what it returns in the page, so
    each function is handed over inside one that returns it."""
    course = load_course(lang).title

    def t(key: str, **values: object) -> str:
        return msg(lang, key, **{"course": course, "min": min_password, **values})

    def worded(sentence: str) -> str:
        return native(lang, sentence, min=min_password, course=course)

    functions: dict[str, Callable[..., str]] = {"t": t, "native": worded}
    return {"lang": lang, "course_name": course,
            **{name: (lambda _user, f=f: f) for name, f in functions.items()}}
