"""The course's sharing service for JupyterHub: participants share their answers file with the trainer.

    store     SQLAlchemy store of shares (SQLite by default, PostgreSQL by URL)
    app       the tornado application: identity from the hub's tokens/OAuth, permissions from custom scopes
    __main__  `python -m lederkurs.service`, the command the hub runs (a managed service)

Needs the `hub` extra (jupyterhub, sqlalchemy, psycopg); nothing else in the course imports this package.
"""
