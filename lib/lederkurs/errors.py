"""Errors a participant or trainer may meet, with a plain-language message and no traceback."""

from __future__ import annotations

from .messages import msg


class CourseError(Exception):
    """An error whose message is meant for a participant, not a programmer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @classmethod
    def of(cls, lang: str, key: str, /, **values: object) -> "CourseError":
        return cls(msg(lang, key, **values))

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: the participant sees only the plain message.
        return [self.message]
