"""The course's Jupyter kernel: ipykernel's own, which loads what every course notebook needs while it waits.

A client that starts a kernel waits for its kernel_info reply and then for its output channel to stay quiet for
0.2 s (jupyter_client's wait_for_ready: papermill, nbval, a cohort render); JupyterLab waits for a person to
click. Right after its first kernel_info reply this kernel imports ipywidgets, Jinja2 and the course's
notebook modules (~75 ms, half of a text notebook's cells) in that idle time: on the kernel's own thread,
after the reply and the "idle" status are out, so the client sees the kernel ready as soon as before, and a
cell sent meanwhile waits only for what is left of the import it would have made itself.

Started as `python -m lederkurs.kernel -f CONNECTION_FILE` by the kernelspec "lederkurs" (jupyter/kernels/),
which the notebooks name; everything else is ipykernel's.
"""

import sys
from pathlib import Path

if __name__ == "__main__" and sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
    # As ipykernel_launcher: the notebook's folder is off the path while the kernel loads (IPython puts it
    # back for the cells), so a participant's file named like a module the kernel needs cannot stand in for it.
    del sys.path[0]

import importlib  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from ipykernel.ipkernel import IPythonKernel  # noqa: E402
from ipykernel.kernelapp import IPKernelApp  # noqa: E402

# What the first cells of every course notebook import: start() and its HTML (Jinja2), the answer box.
WARM = ("ipywidgets", "jinja2", "lederkurs.notebook.session", "lederkurs.notebook.widgets")


class CourseKernel(IPythonKernel):
    """ipykernel's kernel, and says so (implementation "ipython"): clients treat it as the python3 kernel."""

    warm_started: float | None = None  # time.monotonic() when the warm-up began (tests read it)
    _warming = False

    async def kernel_info_request(self, stream: Any, ident: Any, parent: Any) -> None:
        await super().kernel_info_request(stream, ident, parent)
        if not self._warming:
            self._warming = True
            # Runs once this message's handling (and its "idle" status) is over, on the kernel's main thread:
            # a kernel_info_request may come in on the control thread too.
            self.io_loop.add_callback(self._warm)

    def _warm(self) -> None:
        self.warm_started = time.monotonic()
        try:
            for name in WARM:
                importlib.import_module(name)
        except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - the cell that imports it shows the error
            self.log.debug("warm-up stopped: %r", e)


if __name__ == "__main__":
    IPKernelApp.launch_instance(kernel_class=CourseKernel)
