#!/usr/bin/env bash
# smoke.sh [BINARY] — launch the production binary under a private Xvfb and
# D-Bus session bus and check what a user would see first:
#   1. the window maps and its webview paints the UI (> 50 colours) within 30 s;
#   2. build/artifacts/smoke.png (or $PKCE_DESK_SMOKE_SHOT, a file name there)
#      is a real picture, not a blank screen;
#   3. a second launch hands over to the first through the single-instance lock
#      and exits at once, while the first keeps running;
#   4. SIGTERM ends the app cleanly (exit code 0) within 10 s.
# With $PKCE_DESK_SMOKE_WM_CLASS set, the window's X11 WM_CLASS instance name
# must be it (a .desktop file's StartupWMClass, for the launcher icon).
# HOME and the XDG folders point at a temp dir, so the user's config is untouched.
# Every process this script starts is stopped by PID on every exit path.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BIN="${1:-$BIN_DIR/pkce-desk}"
SHOT="${PKCE_DESK_SMOKE_SHOT:-smoke.png}"
[ -x "$BIN" ] || die "no binary at $BIN — build it first (make build)"

# A private session bus isolates the single-instance lock from the desktop's;
# dbus-run-session stops the bus daemon when the inner run exits. The bus gets
# the temp HOME/XDG folders too, so services it activates for the app (the
# Secret Service keychain, the accessibility bus) keep their files there.
if [ -z "${PKCE_DESK_SMOKE_TMP:-}" ]; then
	tmp="$(mktemp -d /tmp/pkce-desk-smoke.XXXXXX)"
	trap 'rm -rf "$tmp"' EXIT
	read -r -a app_env <<<"$(isolated_env "$tmp")"
	rc=0
	env "${app_env[@]}" PKCE_DESK_SMOKE_TMP="$tmp" dbus-run-session -- bash "$0" "$BIN" || rc=$?
	exit "$rc"
fi

tmp="$PKCE_DESK_SMOKE_TMP"
XVFB_PID="" APP_PID="" SECOND_PID=""
cleanup() {
	local rc=$?
	stop_pid "$SECOND_PID" 2
	stop_pid "$APP_PID" 5
	stop_pid "$XVFB_PID" 5
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	printf '\033[1;31msmoke failed:\033[0m %s\n' "$*" >&2
	if [ -s "$tmp/app.log" ]; then
		echo "--- last lines of the app's output ---" >&2
		tail -n 30 "$tmp/app.log" >&2
	fi
	exit 1
}

start_xvfb
t0="$(now)"
"$BIN" >"$tmp/app.log" 2>&1 &
APP_PID=$!

wid="$(timeout 30 xdotool search --sync --onlyvisible --name '^PKCE Desk$' 2>/dev/null | head -n 1 || true)"
[ -n "$wid" ] || fail "no visible 'PKCE Desk' window on $DISPLAY within 30 s"
mapped="$(elapsed "$t0")"
colours="$(wait_painted "$wid" 30)" || fail "the window stayed blank for 30 s ($colours colours)"
painted="$(elapsed "$t0")"
log "window mapped after ${mapped}s, painted after ${painted}s ($colours colours)"
if [ -n "${PKCE_DESK_SMOKE_WM_CLASS:-}" ]; then
	xdotool search --classname "^${PKCE_DESK_SMOKE_WM_CLASS}\$" 2>/dev/null | grep -qx "$wid" ||
		fail "the window's WM_CLASS is not $PKCE_DESK_SMOKE_WM_CLASS: $(xprop -id "$wid" WM_CLASS 2>&1)"
	log "WM_CLASS instance is $PKCE_DESK_SMOKE_WM_CLASS"
fi

settled="$(wait_settled "$wid" 10)"
log "settled at $settled colours after $(elapsed "$t0")s"

mkdir -p "$ARTIFACTS"
import -window root "$ARTIFACTS/$SHOT"
shot_colours="$(identify -format %k "$ARTIFACTS/$SHOT")"
[ "$shot_colours" -gt 50 ] || fail "build/artifacts/$SHOT looks blank ($shot_colours colours)"
log "saved build/artifacts/$SHOT ($shot_colours colours)"

# Second instance: Wails' lock forwards its arguments to the first over D-Bus
# and exits (status 1 by Wails' design), without opening a window.
t1="$(now)"
"$BIN" >"$tmp/second.log" 2>&1 &
SECOND_PID=$!
for _ in $(seq 1 100); do
	kill -0 "$SECOND_PID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$SECOND_PID" 2>/dev/null && fail "the second launch was still running after 10 s (single-instance lock not working)"
second_rc=0
wait "$SECOND_PID" || second_rc=$?
SECOND_PID=""
log "second launch exited after $(elapsed "$t1")s (status $second_rc)"
kill -0 "$APP_PID" 2>/dev/null || fail "the first instance died when the second was launched"
windows="$(xdotool search --onlyvisible --name '^PKCE Desk$' 2>/dev/null | wc -l)"
[ "$windows" -eq 1 ] || fail "expected one PKCE Desk window after the second launch, found $windows"

# Clean exit on SIGTERM.
t2="$(now)"
kill -TERM "$APP_PID"
for _ in $(seq 1 100); do
	kill -0 "$APP_PID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$APP_PID" 2>/dev/null && fail "the app was still running 10 s after SIGTERM"
app_rc=0
wait "$APP_PID" || app_rc=$?
APP_PID=""
[ "$app_rc" -eq 0 ] || fail "the app exited with status $app_rc after SIGTERM (want 0)"
log "SIGTERM: clean exit after $(elapsed "$t2")s"
echo "smoke ok: painted ${painted}s, screenshot $shot_colours colours, single-instance ok, clean exit"
