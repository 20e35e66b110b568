"""Debounced saving: save shortly after the participant stops typing, and never drop a pending save."""

from __future__ import annotations

import atexit
import os
import signal
import threading
import weakref
from collections.abc import Callable
from types import FrameType
from typing import Any

DELAY = 0.5  # seconds of quiet before a save: one write per pause, not per keystroke

_pending: weakref.WeakSet[Debouncer] = weakref.WeakSet()


class Debouncer:
    """Calls `action` once, `delay` seconds after the last `touch()`; `flush()` runs it now if pending."""

    def __init__(self, action: Callable[[], None], delay: float = DELAY) -> None:
        self._action = action
        self._delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.RLock()

    def touch(self) -> None:
        with self._lock:
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(self._delay, self.flush)
            self._timer.daemon = True
            self._timer.start()
            _pending.add(self)

    def flush(self) -> None:
        with self._lock:
            if self._timer is None:
                return
            self._timer.cancel()
            self._timer = None
            _pending.discard(self)
            self._action()

    @property
    def pending(self) -> bool:
        return self._timer is not None


@atexit.register
def flush_all() -> None:
    """A kernel that shuts down (restart, closing the notebook) still saves what was typed."""
    for d in list(_pending):
        d.flush()


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    """A terminated kernel saves what was typed, then ends as it would have: Python's default for SIGTERM
    ends the process at once, without atexit. jupyter_client sends it to a kernel that has not exited 2.5 s
    after its shutdown request (ipykernel 7.4 sometimes hangs there); administrators and containers send it."""
    flush_all()
    if callable(_previous):
        _previous(signum, frame)
    elif _previous != signal.SIG_IGN:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)


_previous: Any = None


def save_on_sigterm() -> None:
    """Make SIGTERM save what was typed first (once per process; a session's start calls it). Only the main
    thread may set a handler: elsewhere atexit alone saves."""
    global _previous
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) is _on_sigterm:
        return
    _previous = signal.signal(signal.SIGTERM, _on_sigterm)
