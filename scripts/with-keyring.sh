#!/usr/bin/env bash
# A private D-Bus session with an unlocked GNOME Keyring: the Secret Service a Linux desktop gives
# ClassBridge, on a machine without a desktop (a server, CI). Needs Debian's dbus and gnome-keyring.
#
#   scripts/with-keyring.sh <command> [args…]
#       Runs one command in a throwaway keyring, deleted afterwards. The tests run this way, so they
#       store secrets in a real Secret Service and never touch the developer's own keyring.
#
#   eval "$(scripts/with-keyring.sh start [--dir <keyring folder>])"
#       Starts the bus and the keyring once and prints the `export` lines that point later commands
#       at them (DBUS_SESSION_BUS_ADDRESS, and CLASSBRIDGE_KEYRING_RUN for `stop`), so every
#       `classbridge …` in that shell uses the same unlocked keyring. With --dir the keyring file is
#       kept in that folder (<dir>/keyrings/) and encrypted with $KEYRING_PASSWORD, so tokens survive
#       a restart; without it the keyring is throwaway and deleted by `stop`.
#
#   eval "$(scripts/with-keyring.sh stop)"
#       Stops the bus and keyring that `start` printed for this shell (by their process ids) and
#       prints the `unset` line for them. docs/cli.md, "A keyring for a headless server", has the recipe.
set -euo pipefail
if ! command -v dbus-daemon >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-daemon and gnome-keyring-daemon are needed (apt-get install dbus gnome-keyring)." >&2
  exit 2
fi

usage() {
  echo "usage: with-keyring.sh <command> [args…] | start [--dir <folder>] | stop" >&2
  exit 2
}

start() {
  local data_dir='' throwaway=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir)
        [ $# -ge 2 ] || usage
        data_dir="$2"
        throwaway=0
        shift 2
        ;;
      *) usage ;;
    esac
  done
  local password="${KEYRING_PASSWORD:-}"
  if [ "$throwaway" = 0 ] && [ -z "$password" ]; then
    # A kept keyring with an empty or guessable password would be readable by anyone who copies the file.
    echo "with-keyring: set KEYRING_PASSWORD (the password that encrypts the keyring in $data_dir)." >&2
    exit 2
  fi
  local run
  run="$(mktemp -d "${TMPDIR:-/tmp}/classbridge-keyring.XXXXXX")"
  chmod 700 "$run"
  if [ "$throwaway" = 1 ]; then
    data_dir="$run/data"
    password=ci-throwaway
  fi
  mkdir -p "$data_dir"
  chmod 700 "$data_dir"
  data_dir="$(cd "$data_dir" && pwd)"
  printf '%s\n' "$data_dir" >"$run/data-dir"
  printf '%s\n' "$throwaway" >"$run/throwaway"
  local bus="unix:path=$run/bus"
  # Both daemons get the keyring folder (XDG_DATA_HOME: the file is <dir>/keyrings/login.keyring)
  # and a private runtime folder, so nothing, not even a keyring the bus starts on demand, opens the
  # user's own keyring. --fork returns once the bus listens; its pid is what `stop` ends.
  export XDG_DATA_HOME="$data_dir" XDG_RUNTIME_DIR="$run" DBUS_SESSION_BUS_ADDRESS="$bus"
  if ! dbus-daemon --session --fork --address="$bus" --print-pid=1 --nopidfile >"$run/dbus.pid" 2>"$run/dbus.log"; then
    echo "with-keyring: dbus-daemon did not start: $(cat "$run/dbus.log")" >&2
    rm -rf "$run"
    exit 1
  fi
  # --unlock reads the password on stdin (and creates login.keyring with it the first time).
  printf %s "$password" | gnome-keyring-daemon --unlock --components=secrets >"$run/keyring.env" 2>"$run/keyring.log"
  # The keyring daemon forks and prints no pid: ask the bus which process owns the Secret Service.
  local pid='' tries=0
  while [ -z "$pid" ] && [ "$tries" -lt 50 ]; do
    pid="$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
      awk '/uint32/ { print $2 }' || true)"
    [ -n "$pid" ] || sleep 0.1
    tries=$((tries + 1))
  done
  printf '%s\n' "$pid" >"$run/keyring.pid"
  if [ -z "$pid" ]; then
    CLASSBRIDGE_KEYRING_RUN="$run" stop >/dev/null
    echo "with-keyring: gnome-keyring-daemon did not start." >&2
    exit 1
  fi
  # A kept keyring opened with another password stays locked: say so now, not at the first token.
  if dbus-send --session --print-reply --dest=org.freedesktop.secrets \
    /org/freedesktop/secrets/aliases/default org.freedesktop.DBus.Properties.Get \
    string:org.freedesktop.Secret.Collection string:Locked | grep -q 'boolean true'; then
    CLASSBRIDGE_KEYRING_RUN="$run" stop >/dev/null
    echo "with-keyring: the keyring in $data_dir did not unlock: KEYRING_PASSWORD is not its password." >&2
    exit 1
  fi
  printf 'export DBUS_SESSION_BUS_ADDRESS=%q\n' "$bus"
  printf 'export CLASSBRIDGE_KEYRING_RUN=%q\n' "$run"
  echo "with-keyring: keyring unlocked (${data_dir}/keyrings); stop it with scripts/with-keyring.sh stop" >&2
}

stop() {
  local run="${CLASSBRIDGE_KEYRING_RUN:-}"
  if [ -z "$run" ] || [ ! -f "$run/dbus.pid" ]; then
    echo "with-keyring: no keyring started by 'with-keyring.sh start' in this shell (CLASSBRIDGE_KEYRING_RUN)." >&2
    exit 1
  fi
  local pid name
  for file in keyring.pid:gnome-keyring-d dbus.pid:dbus-daemon; do
    pid="$(cat "$run/${file%%:*}" 2>/dev/null || true)"
    name="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    # Only the daemon `start` recorded: after a reboot that pid may belong to another program.
    if [ -n "$pid" ] && { [ ! -d /proc ] || [ "$name" = "${file#*:}" ]; }; then kill "$pid" 2>/dev/null || true; fi
  done
  if [ "$(cat "$run/throwaway")" = 1 ]; then rm -rf "$(cat "$run/data-dir")"; fi
  rm -rf "$run"
  # For `eval "$(with-keyring.sh stop)"`: the shell forgets the bus that is gone.
  echo "unset DBUS_SESSION_BUS_ADDRESS CLASSBRIDGE_KEYRING_RUN"
}

case "${1:-}" in
  '') usage ;;
  start)
    shift
    start "$@"
    exit 0
    ;;
  stop)
    [ $# -eq 1 ] || usage
    stop
    exit 0
    ;;
esac

if ! command -v dbus-run-session >/dev/null; then
  echo "with-keyring: dbus-run-session is needed (apt-get install dbus)." >&2
  exit 2
fi
KR_HOME="$(mktemp -d)"
trap 'rm -rf "$KR_HOME"' EXIT
export XDG_DATA_HOME="$KR_HOME/data" XDG_RUNTIME_DIR="$KR_HOME/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# The first --unlock creates login.keyring with this throwaway password; the folder is deleted after.
dbus-run-session -- bash -c '
  eval "$(printf %s ci-throwaway | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
  export GNOME_KEYRING_CONTROL
  exec "$@"' bash "$@"
