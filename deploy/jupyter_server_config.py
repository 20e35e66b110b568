"""Each participant's Jupyter server on the course's hub: at most LEDERKURS_MAX_KERNELS kernels at once, and
links followed inside JupyterLab's HTML viewer work (the trainer's rendered index.html).

Installed by start-hub.sh as $LEDERKURS_HUB_PREFIX/etc/jupyter/jupyter_server_config.py; the hub points
JUPYTER_CONFIG_PATH there. Every kernel holds 50-115 MiB: without a limit one participant can start dozens.
A participant with a terminal can start her server with other settings, so this is the limit JupyterLab
keeps to; the memory and process limits of lederkurs-singleuser (resource limits) bound what she can do anyway.
"""

from __future__ import annotations

import asyncio
import os

from jupyter_server.base.handlers import JupyterHandler
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


# JupyterLab's HTML viewer shows a file in a sandboxed frame whose document is a blob: URL. A relative link
# followed there (index.html -> anna/09-oppsummering.html) asks /files/ for the page, without the _xsrf
# value the viewer added to the first URL, and a blob: document sends no Referer: Jupyter Server then
# refuses the GET as "from unknown origin" (403; on the hub the frame shows an error instead of the page).
# For such a GET the browser's own Sec-Fetch-Site header, which no page can set, says where the request
# came from: "same-origin" is accepted as the Referer would be. This is no weaker than the _xsrf cookie:
# code in this origin can read that cookie anyway, and files served by /files/ run in a sandbox of their
# own (an opaque origin, so a link in them is "cross-site"). POST, PUT and DELETE are unchanged.
_referer_ok = JupyterHandler.check_referer


def _check_referer(self: JupyterHandler) -> bool:
    if _referer_ok(self):
        return True
    headers = self.request.headers
    return (self.request.method in ("GET", "HEAD") and headers.get("Sec-Fetch-Site") == "same-origin"
            and headers.get("Sec-Fetch-Mode") == "navigate")


JupyterHandler.check_referer = _check_referer  # type: ignore[method-assign]
