"""Text from files, made safe to show: control characters and lone surrogates become visible escapes.

An answers file comes from anyone. Its names and keys are printed to a trainer's terminal and put on pages;
a raw ESC could clear the screen or write to the clipboard (OSC 52), a U+202E could reverse what a line
appears to say, and a lone surrogate cannot be written as UTF-8 at all.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL, bidirectional overrides and isolates, line/paragraph separators, lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                                "\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """One line of text from a file as it may be shown: every unsafe character as a `\\xNN` escape."""
    return _UNSAFE.sub(_escape, str(text))


def visible_lines(text: str) -> str:
    """Longer text (an answer): line breaks and tabs kept, every other unsafe character escaped."""
    return _UNSAFE_KEEP_LINES.sub(_escape, text)


def normalised(name: str) -> str:
    """The form under which two names are the same file on Windows and macOS (case-folded, NFC)."""
    return unicodedata.normalize("NFC", name).casefold()
