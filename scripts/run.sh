#!/usr/bin/env bash
# run.sh [ARGS...] — `make run`: on Debian/Ubuntu install what is missing (apt
# packages via root or sudo, npm ci when node_modules is stale), build the
# frontend and the production app without the Wails CLI, then start it.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_go
ensure_apt "${APT_BUILD[@]}"
build_frontend # always: `make run` shows the UI as the sources have it now
build_app "$BIN_DIR"
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] ||
	warn "no DISPLAY or WAYLAND_DISPLAY: the window needs a graphical session (the login/demo-provider commands do not)"
exec "$BIN_DIR/pkce-desk" "$@"
