"""The message catalogue: every string a participant or trainer sees that is not course content.

content/<lang>/messages.yml maps a key to a text with {placeholders}, or to plural forms:

    summary_own:
      one: "{count} er et eget område ({names})"
      other: "{count} er egne områder ({names})"

The form is chosen by the number in `count`, or in the placeholder named by `plural:`, under the
language's CLDR plural rule. Errors (keys and values) are worded here too, at the edge that shows them.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Union

from .. import paths
from ..errors import LederkursError, Shown
from ..text import visible
from .kept import kept
from .problems import ContentError, line_of, load_yaml

Entry = Union[str, dict[str, str]]
# Languages whose CLDR rule for whole numbers is "one" for 1 and "other" for the rest; others ask Babel.
_ONE_IS_ONE = {"nb", "nn", "no", "en", "da", "sv", "de", "nl", "fi", "et", "el", "hu", "it", "ca", "af"}
_OS_REASONS = {errno.EACCES: "os_permission", errno.EPERM: "os_permission", errno.EROFS: "os_read_only",
               errno.ENOSPC: "os_disk_full", errno.EDQUOT: "os_disk_full", errno.EISDIR: "os_is_folder",
               errno.ENOTDIR: "os_not_folder", errno.ENOENT: "os_missing", errno.ENAMETOOLONG: "os_name_too_long",
               errno.ELOOP: "os_link"}


@lru_cache(maxsize=8)
def catalogue(lang: str, root: Path | None = None) -> dict[str, Entry]:
    """The messages of `lang`, parsed once per process and kept for the next kernel (course/kept.py)."""
    root = (root or paths.content_dir()).resolve()
    return kept(f"messages-{lang}", root, lambda: parse_catalogue(lang, root))


def parse_catalogue(lang: str, root: Path) -> dict[str, Entry]:
    path = root / lang / "messages.yml"
    data, text = load_yaml(path)
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ContentError(path, 1, "messages_mapping")
    entries: dict[str, Entry] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            if not isinstance(value.get("other"), str):
                raise ContentError(path, line_of(text, f"{key}:"), "bad_message", key=key, problem="no 'other'")
            entries[str(key)] = {str(k): str(v) for k, v in value.items()}
        else:
            entries[str(key)] = str(value)
    return entries


@lru_cache(maxsize=8)
def plural_rule(lang: str) -> Callable[[int], str]:
    """The CLDR plural category ("one", "few", "other", ...) of a whole number in `lang`."""
    if lang in _ONE_IS_ONE:
        return lambda n: "one" if n == 1 else "other"
    from babel import Locale  # only for languages with other rules: Babel takes ~50 ms to import

    return Locale.parse(lang).plural_form


def template(lang: str, key: str, /, **values: object) -> str:
    """The message for `key` before its placeholders are filled: the plural form `values` call for."""
    entry = catalogue(lang)[key]
    if isinstance(entry, str):
        return entry
    number = values[entry.get("plural", "count")]
    return entry.get(plural_rule(lang)(int(number)), entry["other"])  # type: ignore[call-overload]


def msg(lang: str, key: str, /, **values: object) -> str:
    return template(lang, key, **values).format(**values)


def describe(error: LederkursError, lang: str) -> str:
    """An error in the reader's words: its key's message, with every value worded too."""
    if isinstance(error, Shown):
        return str(error)
    return msg(lang, error.key, **{name: worded(value, lang) for name, value in error.values.items()})


def worded(value: object, lang: str) -> object:
    """A value as it may appear in a message: errors described, text from outside made visible."""
    if isinstance(value, LederkursError):
        return describe(value, lang)
    if isinstance(value, OSError):
        return os_reason(value, lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # numbers keep their type: they choose plural forms
    return visible(value)


def os_reason(error: OSError, lang: str) -> str:
    """Why the file system said no, in plain words (the system's own words only as a last resort)."""
    key = _OS_REASONS.get(error.errno or 0)
    return msg(lang, key) if key else msg(lang, "os_other", reason=visible(error.strerror or error))
