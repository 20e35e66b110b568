"""The package's exceptions: one base class and the few subclasses callers catch (as papermill does).

An error carries a message key and values, never a sentence: the edges (notebook, CLI, render) word it in
the reader's language with `lederkurs.course.messages.describe`. A value may itself be an error (the reason
a file was refused), and is then worded too.
"""

from __future__ import annotations


class LederkursError(Exception):
    """Something a participant, trainer or maintainer must be told about, as `key` + `values`."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key, values)
        self.key = key
        self.values = values

    def __str__(self) -> str:  # for logs and developers; readers get describe(error, lang)
        args = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{self.key}({args})"

    def __reduce__(self) -> tuple[object, ...]:
        # Errors travel from a render's workers to its main process: rebuilt as they were, any subclass.
        return (_restore, (type(self), self.__dict__))


def _restore(cls: type[LederkursError], state: dict[str, object]) -> LederkursError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["key"], state["values"])
    error.__dict__.update(state)
    return error


class ParameterError(LederkursError):
    """A notebook parameter or command option that cannot be used (a name, a language, a folder)."""


class AnswersFileError(LederkursError):
    """A file that is not a usable answers file of this course; `key` says why."""


class NewerSchemaError(AnswersFileError):
    """An answers file from a newer version of the course: shown, never changed."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__("reason_newer_schema", found=found, supported=supported)
        self.found = found


class SaveError(LederkursError):
    """An answer that could not be saved (read-only view, file busy, disk full, no permission)."""


class Shown(LederkursError):
    """An error already worded for its reader by an edge. IPython shows the words alone, no traceback."""

    def __init__(self, text: str) -> None:
        super().__init__("shown", text=text)

    def __str__(self) -> str:
        return str(self.values["text"])

    def _render_traceback_(self) -> list[str]:
        return [str(self)]
