"""Leder for ledere's JupyterLab language pack for Norwegian bokmål (nb_NO): the strings a participant meets in
the course's participant mode (menus, dialogs, kernel status), in JupyterLab's gettext-JSON format
(locale/nb_NO/LC_MESSAGES/jupyterlab.json), so that it could be offered to jupyterlab/language-packs as it is.
Registered as the language pack "nb_NO" (pyproject.toml, entry point group "jupyterlab.languagepack")."""
