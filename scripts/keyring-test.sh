#!/bin/sh
# Runs the store's keychain tests against a real Secret Service: a private
# D-Bus session bus (dbus-run-session) with gnome-keyring-daemon's secrets
# component, whose "login" collection is created and unlocked with a throwaway
# password read from stdin. Needs no display. Under PKCE_DESK_REQUIRE_KEYRING=1
# the tests fail, instead of skipping, if the keychain does not answer.
#
# Everything is hermetic: the keyring files and the runtime directory live in
# a temp dir that is removed afterwards, so the user's own keyring is never
# touched, and the bus and daemon end with dbus-run-session.
#
# Debian/Ubuntu packages: dbus gnome-keyring (libsecret-tools optional: the
# test then cross-checks items with secret-tool).
#
# Usage: scripts/keyring-test.sh [extra go test flags]
set -eu

cd "$(dirname "$0")/.."

for tool in dbus-run-session gnome-keyring-daemon go; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "keyring-test: $tool not found; install: apt-get install -y dbus gnome-keyring libsecret-tools" >&2
		exit 2
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pkce-desk-keyring.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -m 700 "$tmp/data" "$tmp/run"

# Keep Go's caches where they are (they follow HOME/XDG_CACHE_HOME, which we
# leave alone); only the keyring's data and runtime dirs are redirected.
export XDG_DATA_HOME="$tmp/data"
export XDG_RUNTIME_DIR="$tmp/run"
export PKCE_DESK_REQUIRE_KEYRING=1
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

# --unlock reads the password on stdin, creates the login keyring if needed
# and unlocks it, so no prompt (which would need a display) is ever shown.
# The daemon it starts owns org.freedesktop.secrets on this session bus.
status=0
dbus-run-session -- sh -c '
	printf %s "keyring-test-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	go test -race -count=1 -v -run Keyring "$@" ./store/...
' keyring-test "$@" >"$tmp/out" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	cat "$tmp/out" >&2
	exit "$status"
fi
grep -E '^(--- |ok |PASS$)' "$tmp/out" || true
# go test passes when -run matches nothing: a renamed test must not turn this
# into a check of nothing.
if ! grep -q '^--- PASS: TestKeyring' "$tmp/out"; then
	echo "keyring-test: no TestKeyring* test ran and passed in ./store (go test -run Keyring matched nothing?)" >&2
	exit 1
fi
