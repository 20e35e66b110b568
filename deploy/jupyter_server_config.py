"""Each participant's Jupyter server on the course's hub: at most LEDERKURS_MAX_KERNELS kernels at once.

Installed by start-hub.sh as $LEDERKURS_HUB_PREFIX/etc/jupyter/jupyter_server_config.py; the hub points
JUPYTER_CONFIG_PATH there. Every kernel holds 50-115 MiB: without a limit one participant can start dozens.
A participant with a terminal can start her server with other settings, so this is the limit JupyterLab
keeps to; the memory and process limits of lederkurs-singleuser (resource limits) bound what she can do anyway.
"""

from __future__ import annotations

import asyncio
import os

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web

from lederkurs.course.messages import msg

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file

MAX_KERNELS = int(os.environ.get("LEDERKURS_MAX_KERNELS") or 0)
LANG = os.environ.get("LEDERKURS_LANG") or "nb"


class CourseKernelManager(AsyncMappingKernelManager):
    """Refuses a new kernel (403, with a message JupyterLab shows) while MAX_KERNELS are running.

    Starts are taken one at a time, so kernels still starting are counted too.
    """

    _starting: asyncio.Lock | None = None

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs):
        if not MAX_KERNELS or (kernel_id is not None and kernel_id in self):
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if len(self.list_kernel_ids()) >= MAX_KERNELS:
                self.log.warning("Kernel refused: %d running, the limit is %d", len(self.list_kernel_ids()),
                                 MAX_KERNELS)
                raise web.HTTPError(403, msg(LANG, "hub_kernel_limit", count=MAX_KERNELS))
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)


c.ServerApp.kernel_manager_class = CourseKernelManager
