#!/usr/bin/env bash
# Start the course's JupyterHub on this server:   sudo deploy/start-hub.sh [all|install|setup|run]
#                                           (or:  sudo make hub)
#
#   install  what is missing: python3-venv (apt); the course as a wheel built from this repository, installed
#            with its `hub` extra into the hub's venv under the same requirements.lock as every other install;
#            configurable-http-proxy (npm, under the prefix); the spawner's wrapper and the config
#   setup    the groups, the trainer's account, the sharing service's account, the hub's data folder
#   run      JupyterHub on $LEDERKURS_HUB_IP:$LEDERKURS_HUB_PORT (default 127.0.0.1:8000), in the foreground
#   all      the three in turn (the default)
#
# Settings are environment variables, listed at the top of jupyterhub_config.py. Also read here:
#   LEDERKURS_REPO      the course repository to install (default: the folder above deploy/)
#   LEDERKURS_REPO_REF  what to build the wheel from: a commit, tag or branch (default HEAD: committed files
#                       only, as `git archive` has them), or `worktree`: the checkout's files as they are now
#                       (tracked and untracked, not ignored), which is what tests/test_hub.py installs
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
step=${1:-all}
case $step in all|install|setup|run) ;; *) echo "usage: $0 [all|install|setup|run]" >&2; exit 2 ;; esac

if [ "$(id -u)" -ne 0 ]; then
  cat >&2 <<EOF
start-hub.sh must run as root, and you are $(id -un).
JupyterHub's LocalProcessSpawner starts each participant's Jupyter server as that participant's own
system user (setuid), which only root can do; the hub also creates those users (useradd) and the
sharing service's own account. Run it with sudo:   sudo $0 $*   (or: sudo make hub)
EOF
  exit 1
fi

export LEDERKURS_HUB_PREFIX=${LEDERKURS_HUB_PREFIX:-/opt/lederkurs-hub}
export LEDERKURS_HUB_DATA=${LEDERKURS_HUB_DATA:-/var/lib/lederkurs-hub}
export LEDERKURS_HUB_IP=${LEDERKURS_HUB_IP:-127.0.0.1}
export LEDERKURS_HUB_PORT=${LEDERKURS_HUB_PORT:-8000}
export LEDERKURS_TRAINER=${LEDERKURS_TRAINER:-kursholder}
export LEDERKURS_TRAINER_GROUP=${LEDERKURS_TRAINER_GROUP:-lederkurs-kursholder}
export LEDERKURS_PARTICIPANT_GROUP=${LEDERKURS_PARTICIPANT_GROUP:-lederkurs-deltakere}
export LEDERKURS_HOME_BASE=${LEDERKURS_HOME_BASE:-/home}
prefix=$LEDERKURS_HUB_PREFIX
repo=${LEDERKURS_REPO:-$(dirname "$here")}
ref=${LEDERKURS_REPO_REF:-HEAD}
python=/usr/bin/python3  # Debian's: every user can run it (a python under /root cannot be)

log() { echo "start-hub: $*" >&2; }

apt_install() {
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}

# The course's files to build the wheel from, into folder $1: `git archive` of one commit, or the working
# tree's files (tracked and untracked but not ignored, like a fresh clone plus local changes).
export_source() {
  local dest=$1
  if [ "$ref" = worktree ]; then
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard \
      | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
      | tar --null -T - -cf -) | tar -x -C "$dest"
  else
    git -C "$repo" archive "$(git -C "$repo" rev-parse "$ref^{commit}")" | tar -x -C "$dest"
  fi
}

# What a built wheel depends on: the name and content of every file but those the wheel never carries.
tree_digest() {
  (cd "$1" && find . -type f -not -path './tests/*' -not -path './bench/*' -not -path './deploy/*' \
     -not -path './.ci/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

install_all() {
  [ -f "$repo/pyproject.toml" ] && [ -f "$repo/requirements.lock" ] || {
    log "no course repository at $repo (set LEDERKURS_REPO to the checkout to install)"; exit 1; }
  # Debian's python with venv support, git for the export
  if [ ! -x $python ] || ! $python -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3 python3-venv
  fi
  command -v git >/dev/null || apt_install git
  command -v ss >/dev/null || apt_install iproute2  # run checks who holds the hub's ports
  # node for the proxy: configurable-http-proxy 5 needs node >= 20, 4.6 runs on Debian 12's node 18
  command -v node >/dev/null || apt_install nodejs
  command -v npm >/dev/null || apt_install npm
  local node_major chp
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$node_major" -ge 20 ]; then chp=5.3.0; else chp=4.6.3; fi

  install -d -m 0755 "$prefix" "$prefix/bin" "$prefix/etc"
  local lock venv=$prefix/venv
  work=$(mktemp -d)  # global: the EXIT trap reads it
  trap 'rm -rf "$work"' EXIT
  lock="$repo/requirements.lock"
  mkdir "$work/src"
  export_source "$work/src"

  # The venv is made anew when the lock or the python changes (so it holds exactly the lock); the course is
  # reinstalled when its files change. Nothing of the repository stays in the prefix: only the installed wheel.
  local want_env want_course have_env have_course
  want_env="lock $(sha256sum "$lock" | cut -c1-16) $($python -V 2>&1)"
  want_course="course $(tree_digest "$work/src")"
  have_env=$(sed -n 1p "$prefix/.installed" 2>/dev/null || true)
  have_course=$(sed -n 2p "$prefix/.installed" 2>/dev/null || true)
  if [ "$want_env" != "$have_env" ] || [ ! -x "$venv/bin/jupyterhub" ]; then
    log "new venv $venv ($want_env)"
    rm -rf "$venv" "$prefix/.installed"
    $python -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    have_course=""
  fi
  if [ "$want_course" != "$have_course" ]; then
    log "building the course's wheel from $repo ($ref)"
    $python -m venv "$work/build-env"
    "$work/build-env/bin/python" -m pip install -q --constraint "$lock" build
    "$work/build-env/bin/python" -m build --wheel --outdir "$work/dist" "$work/src" >"$work/build.log" 2>&1 || {
      tail -30 "$work/build.log" >&2; exit 1; }
    local wheel
    wheel=$(ls "$work"/dist/lederkurs-*.whl)
    log "installing $(basename "$wheel")[hub] into $venv (--constraint requirements.lock)"
    "$venv/bin/python" -m pip uninstall -q -y lederkurs >/dev/null 2>&1 || true
    "$venv/bin/python" -m pip install -q --constraint "$lock" "$wheel[hub]"
    printf '%s\n%s\n' "$want_env" "$want_course" >"$prefix/.installed"
  fi
  # The wheel carries the course's JupyterLab defaults and Voilà template (<venv>/share/jupyter).
  for file in lab/settings/overrides.json voila/templates/lederkurs/index.html.j2; do
    [ -f "$venv/share/jupyter/$file" ] || { log "the course's $file is missing from $venv/share/jupyter"; exit 1; }
  done

  if [ "$("$prefix/node_modules/.bin/configurable-http-proxy" --version 2>/dev/null)" != "$chp" ]; then
    log "npm install configurable-http-proxy@$chp into $prefix/node_modules"
    npm install --prefix "$prefix" --no-audit --no-fund --omit=dev --loglevel=error \
      "configurable-http-proxy@$chp" >/dev/null
  fi

  install -m 0755 "$here/lederkurs-singleuser" "$prefix/bin/"
  install -m 0644 "$here/jupyterhub_config.py" "$prefix/etc/jupyterhub_config.py"
  install -d -m 0755 "$prefix/etc/jupyter"
  install -m 0644 "$here/jupyter_server_config.py" "$prefix/etc/jupyter/jupyter_server_config.py"
  install -d -m 0755 "$prefix/etc/templates"
  install -m 0644 "$here"/templates/*.html "$prefix/etc/templates/"
  chmod -R a+rX "$prefix"  # every participant runs the venv and the wrapper
  rm -rf "$work"
  trap - EXIT
}

setup_all() {
  groupadd -f "$LEDERKURS_TRAINER_GROUP"
  groupadd -f "$LEDERKURS_PARTICIPANT_GROUP"
  install -d -m 0755 "$LEDERKURS_HOME_BASE"
  if ! id "$LEDERKURS_TRAINER" >/dev/null 2>&1; then
    log "creating the trainer's account $LEDERKURS_TRAINER"
    useradd --create-home --base-dir "$LEDERKURS_HOME_BASE" --shell /bin/bash --user-group \
      --groups "$LEDERKURS_TRAINER_GROUP" --comment "lederkurs kursholder" -K HOME_MODE=0700 \
      "$LEDERKURS_TRAINER"
    chmod 0700 "$(getent passwd "$LEDERKURS_TRAINER" | cut -d: -f6)"
  elif ! id -nG "$LEDERKURS_TRAINER" | tr ' ' '\n' | grep -qx "$LEDERKURS_TRAINER_GROUP"; then
    usermod -a -G "$LEDERKURS_TRAINER_GROUP" "$LEDERKURS_TRAINER"
  fi
  install -d -m 0700 "$LEDERKURS_HUB_DATA"
  # The sharing service (lederkurs.service) runs as a system account of its own; its folder (the SQLite
  # database) is its own, mode 0700. Its settings are in jupyterhub_config.py.
  local svc_user=${LEDERKURS_SERVICE_USER:-lederkurs-deling} svc_data=${LEDERKURS_SERVICE_DATA:-/var/lib/lederkurs-deling}
  if ! id "$svc_user" >/dev/null 2>&1; then
    log "creating the sharing service's account $svc_user"
    useradd --system --user-group --no-create-home --home-dir "$svc_data" --shell /usr/sbin/nologin \
      --comment "lederkurs delingstjeneste" "$svc_user"
  fi
  install -d -m 0700 -o "$svc_user" -g "$svc_user" "$svc_data"
}

# Who listens on TCP port $1 (any address): "pid=123 (python3, user bjorn)", or nothing.
listener() {
  local pid
  pid=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
  [ -n "$pid" ] || { ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && echo "an unknown process"; return 0; }
  echo "pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null), user $(stat -c %U "/proc/$pid" 2>/dev/null))"
}

# No participant's process may run before the hub does: one left from before (the hub was killed, or an
# older version) could hold a port the hub is about to use. kill(-1) as each member of the participant group.
end_participants_processes() {
  local name uid
  for name in $(getent group "$LEDERKURS_PARTICIPANT_GROUP" | cut -d: -f4 | tr ',' ' ' || true); do
    uid=$(id -u "$name" 2>/dev/null) || continue
    [ "$uid" -ne 0 ] || continue
    id -nG "$name" | tr ' ' '\n' | grep -qx "$LEDERKURS_TRAINER_GROUP" && continue
    setpriv --reuid="$uid" --regid="$(id -g "$name")" --clear-groups kill -KILL -1 2>/dev/null || true
  done
}

# The ports must be free before the start: a process that holds the public port would receive the
# participants' passwords, one on the proxy's API port the proxy's token.
check_ports_free() {
  local port what holder
  for port in "$LEDERKURS_HUB_PORT:the public port" "${LEDERKURS_HUB_API_PORT:-8081}:the hub's port" \
              "${LEDERKURS_PROXY_API_PORT:-8001}:the proxy's API port"; do
    what=${port#*:}; port=${port%%:*}
    holder=$(listener "$port")
    if [ -n "$holder" ]; then
      log "port $port ($what) is already in use by $holder. The hub does not start while another process" \
          "holds one of its ports; stop that process first."
      exit 1
    fi
  done
}

# After the start: the proxy itself listens on the public and its API port (the proxy only logs a port it
# could not take and goes on). Anything else there and the hub is stopped again.
check_proxy_listens() {
  local proxy port holder
  for _ in $(seq 600); do
    kill -0 "$hub_pid" 2>/dev/null || return 0
    proxy=$(cat "$LEDERKURS_HUB_DATA/proxy.pid" 2>/dev/null || true)
    if [ -n "$proxy" ]; then
      local ok=1
      for port in "$LEDERKURS_HUB_PORT" "${LEDERKURS_PROXY_API_PORT:-8001}"; do
        holder=$(listener "$port")
        if [ -z "$holder" ]; then ok=0
        elif [ "${holder#pid $proxy }" = "$holder" ]; then
          log "port $port is held by $holder, not by the proxy (pid $proxy): stopping the hub."
          return 1
        fi
      done
      [ $ok -eq 0 ] || return 0
    fi
    sleep 0.2
  done
  log "the proxy did not listen on its ports within 120 s: stopping the hub."
  return 1
}

run_hub() {
  [ -x "$prefix/venv/bin/jupyterhub" ] || { log "nothing installed in $prefix: run '$0 install'"; exit 1; }
  cd "$LEDERKURS_HUB_DATA"
  end_participants_processes
  check_ports_free
  log "JupyterHub on http://$LEDERKURS_HUB_IP:$LEDERKURS_HUB_PORT/ (trainer: $LEDERKURS_TRAINER)."
  log "First time: sign up as $LEDERKURS_TRAINER at http://$LEDERKURS_HUB_IP:$LEDERKURS_HUB_PORT/hub/signup" \
      "before handing out the address; approve participants at /hub/authorize."
  # JupyterHub runs in a session of its own and is stopped with exactly one SIGTERM, from here: a terminal's
  # Ctrl-C reaches the whole foreground process group and make passes a SIGTERM on to its child, so it would
  # be signalled twice (and run its cleanup twice). SIGINT is put back to its default: a shell that starts
  # this in the background (nohup, &) ignores SIGINT in everything it starts, the hub's services inherit
  # that, and JupyterHub, which stops a service with SIGINT first, then waited ~30 s for the idle culler.
  setsid env --default-signal=INT,QUIT "$prefix/venv/bin/jupyterhub" -f "$prefix/etc/jupyterhub_config.py" &
  hub_pid=$!
  trap '[ -n "${stopping:-}" ] || { stopping=1; kill -TERM "$hub_pid" 2>/dev/null || true; }' INT TERM HUP
  local status
  if ! check_proxy_listens; then
    stopping=1
    kill -TERM "$hub_pid" 2>/dev/null || true
    wait "$hub_pid" || true
    exit 1
  fi
  while :; do
    status=0
    wait "$hub_pid" || status=$?
    kill -0 "$hub_pid" 2>/dev/null || break  # a trapped signal ends `wait` early: wait again until it is gone
  done
  exit "$status"
}

case $step in
  install) install_all ;;
  setup) setup_all ;;
  run) run_hub ;;
  all) install_all; setup_all; run_hub ;;
esac
