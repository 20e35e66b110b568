"""deploy/zero-to-jupyterhub-config.yaml, checked as far as it can be without a cluster.

helm validates the merged values (the chart's defaults, then ours) against the chart's values schema before
it renders anything; this does the same merge and validation with the chart's own files at the version the
config is written for (tests/data/z2jh, chart 4.4.0, see SOURCE.md there). Then what the values declare for
the sharing service is checked against the one-server hub's (deploy/jupyterhub_config.py) and the service's
own code: the same scopes, roles and group, the database URL from a Secret, no shared folder for
participants, limits on the service's container.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from lederkurs.service.app import READ_SCOPE, SHARE_SCOPE
from lederkurs.service.workshop_api import WORKSHOP_SCOPE

from helpers import REPO

Z2JH = Path(__file__).parent / "data" / "z2jh"
CONFIG = REPO / "deploy" / "zero-to-jupyterhub-config.yaml"


def merged(defaults: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """helm's merge of values files: maps merge key by key, everything else (lists too) is replaced."""
    out = copy.deepcopy(defaults)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def values() -> dict[str, Any]:
    return merged(load(Z2JH / "values.yaml"), load(CONFIG))


def test_the_values_pass_the_charts_own_schema() -> None:
    schema = load(Z2JH / "values.schema.yaml")
    jsonschema.validate(values(), schema)  # raises with the path of the first value the chart would refuse


def test_the_schema_check_would_catch_a_mistake() -> None:
    """The check is not vacuous: a misspelt key under hub, where the chart allows no unknown keys, fails."""
    schema = load(Z2JH / "values.schema.yaml")
    wrong = values()
    wrong["hub"]["extraContainer"] = wrong["hub"].pop("extraContainers")
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(wrong))
    assert any("extraContainer" in e.message for e in errors), [e.message for e in errors]


def _one_server_config() -> str:
    return (REPO / "deploy" / "jupyterhub_config.py").read_text(encoding="utf-8")


def test_the_service_scopes_and_roles_are_the_one_servers() -> None:
    v = values()
    hub = v["hub"]
    custom = hub["config"]["JupyterHub"]["custom_scopes"]
    assert set(custom) == {SHARE_SCOPE, READ_SCOPE, WORKSHOP_SCOPE}
    assert all(entry["description"] for entry in custom.values())
    assert "SHARE_SCOPE, READ_SCOPE = \"custom:lederkurs:share\", \"custom:lederkurs:read\"" in _one_server_config()
    service = hub["services"]["lederkurs"]
    assert service["url"] == "http://127.0.0.1:8002"
    assert set(service["oauth_client_allowed_scopes"]) == {SHARE_SCOPE, READ_SCOPE, WORKSHOP_SCOPE}
    roles = hub["loadRoles"]
    assert roles["user"]["scopes"] == ["self", SHARE_SCOPE]  # participants: only their own share
    trainer = roles["lederkurs-trainer-shares"]
    assert set(trainer["scopes"]) == {READ_SCOPE, "access:services!service=lederkurs"}
    assert trainer["groups"] == ["kursholdere"]
    assert hub["config"]["JupyterHub"]["load_groups"]["kursholdere"]["users"] == \
        hub["config"]["Authenticator"]["admin_users"] == ["kursholder"]
    token_scopes = hub["config"]["KubeSpawner"]["server_token_scopes"]
    assert {SHARE_SCOPE, READ_SCOPE, WORKSHOP_SCOPE, "users:activity!user",
            "access:servers!server"} == set(token_scopes)
    assert roles["lederkurs-trainer-workshop"] == {  # the live workshop: the same group, one scope
        "description": roles["lederkurs-trainer-workshop"]["description"], "scopes": [WORKSHOP_SCOPE],
        "groups": ["kursholdere"]}
    one_server = ast.literal_eval(_one_server_config().split("c.Spawner.server_token_scopes = ", 1)[1]
                                  .split("\n", 1)[0].replace("SHARE_SCOPE", repr(SHARE_SCOPE))
                                  .replace("READ_SCOPE", repr(READ_SCOPE)))
    if "c.Spawner.server_token_scopes.append(WORKSHOP_SCOPE)" in _one_server_config():
        one_server.append(WORKSHOP_SCOPE)
    assert set(one_server) == set(token_scopes)


def test_the_services_container_gets_its_database_from_a_secret_and_has_limits() -> None:
    hub = values()["hub"]
    (container,) = [c for c in hub["extraContainers"] if c["name"] == "lederkurs-service"]
    assert container["command"] == ["python", "-m", "lederkurs.service"]
    env = {e["name"]: e for e in container["env"]}
    assert env["LEDERKURS_SERVICE_DB"]["valueFrom"]["secretKeyRef"] == {"name": "lederkurs-db", "key": "url"}
    assert "value" not in env["LEDERKURS_SERVICE_DB"]  # never a password in the values file
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "hub", "key": "hub.services.lederkurs.apiToken"}
    assert env["JUPYTERHUB_SERVICE_URL"]["value"] == hub["services"]["lederkurs"]["url"]
    assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == "/services/lederkurs/"
    assert container["resources"]["limits"]["memory"] and container["resources"]["requests"]["memory"]
    assert container["securityContext"]["runAsNonRoot"] is True


def test_participants_get_the_service_and_no_shared_folder() -> None:
    single = values()["singleuser"]
    assert single["extraEnv"]["LEDERKURS_SERVICE_URL"].endswith("/services/lederkurs/")
    assert "LEDERKURS_DROPBOX" not in single["extraEnv"]
    assert not single["storage"].get("extraVolumes") and not single["storage"].get("extraVolumeMounts")
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    assert "innlevering" not in CONFIG.read_text(encoding="utf-8")


# --- a participant's pod, built by KubeSpawner from the same values (no cluster: nothing is sent) -----------

KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none, namespace: lederkurs}}]
current-context: none
"""


def pod_manifest(user: str = "kari") -> dict[str, Any]:
    """KubeSpawner's pod manifest for `user`: hub.config passed through as traitlets config and the
    singleuser values mapped to KubeSpawner's traits the way the chart's own jupyterhub_config.py maps them
    (chart 4.4.0: `singleuser.<key>` -> `c.KubeSpawner.<trait>`). get_pod_manifest builds the object only."""
    import asyncio
    import concurrent.futures
    from types import SimpleNamespace

    from kubespawner import KubeSpawner
    from traitlets.config import Config

    v = values()
    single = v["singleuser"]
    config = Config()
    for section, settings in v["hub"]["config"].items():
        config[section] = Config(settings)
    ks = config.KubeSpawner
    ks.image = f"{single['image']['name']}:{single['image']['tag']}"
    ks.cmd = single["cmd"]
    ks.default_url = single["defaultUrl"]
    ks.uid, ks.fs_gid = single["uid"], single["fsGid"]
    ks.mem_limit, ks.mem_guarantee = single["memory"]["limit"], single["memory"]["guarantee"]
    ks.cpu_limit, ks.cpu_guarantee = single["cpu"]["limit"], single["cpu"]["guarantee"]
    ks.environment = single["extraEnv"]
    ks.volumes = {v["name"]: v for v in single["storage"].get("extraVolumes") or []}
    ks.volume_mounts = {m["name"]: m for m in single["storage"].get("extraVolumeMounts") or []}
    hub = SimpleNamespace(public_host="", url="http://hub:8081/hub/", base_url="/hub/",
                          api_url="http://hub:8081/hub/api", public_url="")
    person = SimpleNamespace(name=user, id=7, url=f"/user/{user}/", escaped_name=user, settings={},
                             server=None, spawners={})

    async def build() -> dict[str, Any]:  # KubeSpawner makes its (unused) API client in a running loop
        spawner = KubeSpawner(config=config, user=person, hub=hub, api_token="token-of-the-server")
        return (await spawner.get_pod_manifest()).to_dict()
    # A thread of its own: an earlier test in the session (Playwright's sync API) may have an event loop running
    # in this one, where asyncio.run refuses to start.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, build()).result()


def test_a_participants_pod_gets_the_service_its_limits_and_no_shared_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # KubeSpawner loads a client configuration when it is made: one for a cluster that does not exist
    # (nothing listens at 127.0.0.1:1), since building the manifest sends nothing.
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "kubeconfig"))
    pod = pod_manifest("kari")
    (container,) = pod["spec"]["containers"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["LEDERKURS_SERVICE_URL"] == "http://proxy-public/services/lederkurs/"
    assert env["JUPYTERHUB_USER"] == "kari"  # the course names the participant after it
    assert "LEDERKURS_DROPBOX" not in env
    assert container["resources"]["limits"] == {"cpu": 1.0, "memory": 2**30}  # 1 CPU, 1G (KubeSpawner: G = 2**30)
    assert container["resources"]["requests"]["memory"] == 512 * 2**20
    assert pod["spec"]["security_context"] == {"fsGroup": 100}  # KubeSpawner passes these as dicts
    assert container["security_context"] == {"runAsUser": 1000, "allowPrivilegeEscalation": False}
    mounts = {m["mount_path"] for m in container.get("volume_mounts") or []}
    assert not any("innlevering" in m for m in mounts), mounts
    print("\nkari's pod:", container["image"], container["resources"], sorted(env))
