#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked, throwaway GNOME Keyring, so that
# tests store secrets in a real Secret Service (the same one a Linux desktop uses) and never touch
# the developer's own keyring. Needs Debian's dbus and gnome-keyring (.ci/run installs them).
set -euo pipefail
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session and gnome-keyring-daemon are needed (apt-get install dbus gnome-keyring)." >&2
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
