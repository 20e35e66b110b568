"""Each participant's Jupyter server on the course's hub: at most LEDERKURS_MAX_KERNELS kernels at once, and
links followed inside JupyterLab's HTML viewer work (the trainer's rendered index.html, see the end).

Installed by start-hub.sh as $LEDERKURS_HUB_PREFIX/etc/jupyter/jupyter_server_config.py; the hub points
JUPYTER_CONFIG_PATH there. Every kernel holds 50-115 MiB: without a limit one participant can start dozens.
A participant with a terminal can start her server with other settings, so this is the limit JupyterLab
keeps to; the memory and process limits of lederkurs-singleuser (resource limits) bound what she can do anyway.
"""

from __future__ import annotations

import asyncio
import os

from jupyter_server.base.handlers import AuthenticatedFileHandler
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



# The trainer opens the render's index.html in JupyterLab's HTML viewer and follows its links (issue 25). The
# viewer shows the file in a frame; a link followed there loads the page from /files/. JupyterHub's
# single-user server answers every request with `frame-ancestors 'none'` (all servers share the hub's
# origin, so no page of one may frame another's: its script could act as that user), and the browser shows
# "127.0.0.1 refused to connect" instead of the page. For /files/ only, this server lets its own origin frame
# the file: Jupyter Server serves those with `sandbox allow-scripts`, an opaque origin of their own, so
# whoever frames one cannot read or script it; JupyterLab, notebooks and the API stay unframeable.
class FramableFiles(AuthenticatedFileHandler):
    """/files/ as Jupyter Server serves it, which this server's own pages may frame."""

    @property
    def content_security_policy(self) -> str:
        return super().content_security_policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")


c.ContentsManager.files_handler_class = FramableFiles
