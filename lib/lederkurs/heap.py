"""The kernel's long-lived objects kept out of the garbage collector's scans.

A kernel holds ~50,000 objects before a notebook's first cell (IPython, zmq, ipywidgets, the course's modules)
and keeps them until it ends. Every full collection walks them all (~20 ms), and a kernel's exit runs several
(IPython's reset, then the interpreter's own): that took a kernel's exit past jupyter_client's 100 ms poll,
so papermill, nbval and a cohort render waited a tenth of a second longer for every notebook. Frozen
(gc.freeze) they are never scanned again; reference counting still frees them as before.
"""

from __future__ import annotations

import gc

_settled = False


def settle() -> None:
    """Freeze what is alive now, once per process: at the first start(), before it makes anything of its own,
    so a second Run All's garbage (the first run's widgets, which hold reference cycles) stays collectable."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect(1)  # young garbage is freed now, not frozen for the kernel's life (~1 ms)
    gc.freeze()
