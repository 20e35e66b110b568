"""Debounced saving: save shortly after the participant stops typing, and never drop a pending save."""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Callable

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
