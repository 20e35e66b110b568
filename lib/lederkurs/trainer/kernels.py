"""The kernels a render starts: jupyter_client's own manager, configured through its public settings, with
every file of the kernel in the render's private folder.

A kernel's connection file holds the key that runs code as the trainer. jupyter_client would put it in
/tmp/tmpXXXXXXXX.json, where another user of the server can race a FIFO at the name and read the key; here
it lies in the render's staging folder (0700), and the kernel's runtime and temporary files beside it.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ParameterError

DEFAULT_KERNEL = paths.KERNEL  # the standard kernel, as the notebooks name it
# Seconds a render's kernel has to exit after its shutdown request before SIGTERM (jupyter_client: 5). A render's
# kernel has nothing left to save; ipykernel 7.4 sometimes does not exit after a shutdown request at all.
SHUTDOWN_WAIT = 0.5


def check_kernel(kernel: str) -> None:
    """A kernel Jupyter does not know is refused once, before anything runs."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise ParameterError("render_no_kernel", kernel=kernel) from None


def kernel_manager(extra_env: dict[str, str]) -> type:
    """jupyter_client's AsyncKernelManager, starting its kernel with JUPYTER_RUNTIME_DIR and TMPDIR in the
    folder of its connection file, and `extra_env` (the kernel's environment only, never the render's)."""
    from jupyter_client.manager import AsyncKernelManager

    class RenderKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]  # async in AsyncKernelManager
            private = str(Path(self.connection_file).parent)
            kw["env"] = {**kw.get("env", os.environ), **extra_env, "JUPYTER_RUNTIME_DIR": private, "TMPDIR": private}
            await super().start_kernel(**kw)

    return RenderKernelManager


def kernel_config(runtime: Path) -> Any:
    """jupyter_client's settings for one kernel: a fresh connection file in `runtime`, a short shutdown wait."""
    from traitlets.config import Config

    return Config({"KernelManager": {"connection_file": str(runtime / f"kernel-{uuid.uuid4().hex}.json"),
                                     "shutdown_wait_time": SHUTDOWN_WAIT}})
