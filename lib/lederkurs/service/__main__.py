"""`python -m lederkurs.service`: the sharing service, as JupyterHub runs it (a managed service).

Settings are environment variables; the hub sets the JUPYTERHUB_* ones for a service it manages:

  JUPYTERHUB_SERVICE_URL     where to listen (http://127.0.0.1:<port>)
  JUPYTERHUB_SERVICE_PREFIX  the path the proxy sends here (/services/lederkurs/)
  JUPYTERHUB_API_TOKEN, JUPYTERHUB_API_URL, JUPYTERHUB_OAUTH_*   for HubOAuth
  LEDERKURS_SERVICE_DB       the database URL: postgresql+psycopg://user:password@host/db for a cluster
                             or replicas (default: SQLite in LEDERKURS_SERVICE_DATA)
  LEDERKURS_SERVICE_DATA     the folder of the default SQLite file (default: the working folder)
  LEDERKURS_LANG             the language of the trainer's page (nb, nn, en; default nb)
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback

from ..course import languages
from .app import MAX_BODY, make_app
from .store import ShareStore, default_url
from .workshop_api import add_routes as add_workshops  # before store.create(): its tables join the metadata

log = logging.getLogger("lederkurs.service")
DB_ENV = "LEDERKURS_SERVICE_DB"
DATA_ENV = "LEDERKURS_SERVICE_DATA"
WORKERS = 4  # database calls at once; the loop itself never waits for the database


async def serve() -> None:
    os.umask(0o077)  # the SQLite file and its journal: the service's own
    url = os.environ.get(DB_ENV) or default_url(Path(os.environ.get(DATA_ENV) or ".").resolve())
    store = ShareStore(url)
    store.create()
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/lederkurs/")
    listen = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="store")
    lang = os.environ.get("LEDERKURS_LANG") or "nb"
    lang = lang if lang in languages.available_languages() else "nb"
    application = make_app(store, prefix, pool, secrets.token_bytes(32), lang)
    workshops = add_workshops(application, store, pool, prefix, lang)  # the live workshop (issue 29)
    server = HTTPServer(application, max_body_size=MAX_BODY)
    server.listen(listen.port or 80, listen.hostname or "127.0.0.1")
    # A workshop left open ends by itself (its positions deleted) even if nobody calls the service.
    expiring = PeriodicCallback(lambda: void(pool.submit(workshops.expire)), 60_000)
    expiring.start()
    log.info("lederkurs sharing service on %s%s, store %r", listen.geturl().rstrip("/"), prefix, store)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):  # the hub stops a managed service with SIGINT, then SIGTERM
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("stopping")
    expiring.stop()
    server.stop()
    await server.close_all_connections()
    pool.shutdown(wait=True)
    store.close()


def void(_: object) -> None:
    """The expiry runs in the pool; its failure (a database away for a moment) is retried next minute."""


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="[%(levelname).1s %(asctime)s %(name)s] %(message)s")
    asyncio.run(serve())


if __name__ == "__main__":
    main()
