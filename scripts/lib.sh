# shellcheck shell=bash disable=SC2034 # globals here are for the scripts that source this file
# Shared helpers for the build, test, smoke, bench and dist scripts.
# Source it; it changes to the repository root and sets ROOT and VERSION.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# VERSION names this build: $PKCE_DESK_VERSION when set, else the nearest tag,
# else the commit, "-dirty" when the tree has changes; 0.1.0-dev outside a git
# checkout. Injected into main.version. Exported as PKCE_DESK_VERSION, so the
# scripts a stage starts and the e2e tests (which compare it with what the
# binaries report) see the same value.
PKCE_DESK_VERSION="${PKCE_DESK_VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo 0.1.0-dev)}"
export PKCE_DESK_VERSION
VERSION="$PKCE_DESK_VERSION"

BIN_DIR="$ROOT/build/bin"
ARTIFACTS="$ROOT/build/artifacts"

# -trimpath keeps absolute paths out of every build, so the Go build and test
# caches hit across checkouts at different paths (CI clones afresh each run).
case " ${GOFLAGS:-} " in
*" -trimpath "*) ;;
*) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath" ;;
esac

# CACHE_DIR outlives checkouts: the node_modules of the last `npm ci` (npm/),
# the Wails CLI (tools/), the bench baseline app (bench/) and Ory Hydra
# (hydra-<version>/). Exported: the e2e tests look for Hydra there too.
PKCE_DESK_CACHE="${PKCE_DESK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pkce-desk}"
export PKCE_DESK_CACHE
CACHE_DIR="$PKCE_DESK_CACHE"

# Packages needed to build the app and run every stage of `make test`.
APT_BUILD=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev)
APT_TEST=(xvfb xauth xdotool imagemagick fonts-dejavu-core dbus dbus-x11 chromium
	gnome-keyring libsecret-tools shellcheck)
# Packages that `make dist` (and the dist stage, which checks its artifacts)
# needs: the Debian packaging and lint tools, the AppStream and desktop-entry
# validators, NSIS for the Windows installer, ImageMagick for the .deb's
# icon sizes (dist-linux.sh; APT_TEST has it too, but make dist alone does not
# install APT_TEST).
APT_DIST=(dpkg-dev lintian desktop-file-utils appstream nsis imagemagick)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
	printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
	exit 1
}

# now prints seconds since the epoch with millisecond precision.
now() { date +%s.%3N; }

# elapsed START prints the seconds since START (from now) with one decimal.
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# as_root runs a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run: $* — install sudo or run as root"
	fi
}

# ensure_apt PKG... installs the Debian/Ubuntu packages that dpkg does not list
# as installed. The warm path is a single dpkg-query call.
ensure_apt() {
	local missing=() pkg installed
	if ! command -v dpkg-query >/dev/null 2>&1; then
		warn "not a Debian/Ubuntu system: make sure these (or your distribution's equivalents) are installed: $*"
		return 0
	fi
	installed=" $(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "$@" 2>/dev/null |
		awk '$1 == "installed" { printf "%s ", $2 }' || true) "
	for pkg in "$@"; do
		case "$installed" in
		*" $pkg "*) ;;
		*) missing+=("$pkg") ;;
		esac
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	command -v apt-get >/dev/null 2>&1 ||
		die "missing packages ${missing[*]} and no apt-get here; install them with your package manager"
	log "installing with apt: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -q
	as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

# go_mod_files lists the go.mod files of the repository: the app's, the e2e
# module's and the e2e tool modules'.
go_mod_files() {
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files -- go.mod '*/go.mod'
	else
		find . -name go.mod -not -path './frontend/node_modules/*' -not -path './.cache/*' | sed 's|^\./||'
	fi
}

# go_version_ge HAVE WANT succeeds when Go version HAVE (1.26.1, 1.26rc2, 1.27)
# is at least WANT (a go.mod `go` line: 1.26.0, 1.26). A pre-release sorts
# before its release, as Go sorts them (1.26rc1 < 1.26.0).
go_version_ge() {
	awk -v have="$1" -v want="$2" '
	function parse(v, out, n, p, pre) {
		pre = 0
		if (match(v, /(rc|beta)[0-9]*$/)) {
			pre = 1
			v = substr(v, 1, RSTART - 1)
		}
		n = split(v, p, ".")
		out[1] = p[1] + 0
		out[2] = (n >= 2 ? p[2] : 0) + 0
		out[3] = (n >= 3 ? p[3] : 0) + 0
		out[4] = pre ? 0 : 1
	}
	BEGIN {
		parse(have, h)
		parse(want, w)
		for (i = 1; i <= 4; i++) {
			if (h[i] > w[i]) exit 0
			if (h[i] < w[i]) exit 1
		}
		exit 0
	}'
}

# ensure_go fails with a clear message when Go is missing or older than the
# `go` line of any go.mod in the tree (the app's and the e2e module's, which
# the stages build and test). The version asked of the go command is its own
# (GOTOOLCHAIN=local): no toolchain is downloaded to answer.
ensure_go() {
	local f v want="" from="" lines=() have
	while IFS= read -r f; do
		v="$(awk '$1 == "go" { print $2; exit }' "$f")"
		[ -n "$v" ] || continue
		lines+=("$f: go $v")
		if [ -z "$want" ] || ! go_version_ge "$want" "$v"; then
			want="$v" from="$f"
		fi
	done < <(go_mod_files)
	[ -n "$want" ] || die "no go.mod with a go line found in $ROOT"
	command -v go >/dev/null 2>&1 ||
		die "Go is not on PATH: PKCE Desk needs Go $want or newer ($from); install it from https://go.dev/dl/"
	have="$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null || true)"
	have="${have#devel }"
	have="${have%% *}"
	have="${have#go}"
	have="${have%%-*}"
	[ -n "$have" ] || die "could not read the Go version ('go env GOVERSION' failed); PKCE Desk needs Go $want or newer"
	if ! go_version_ge "$have" "$want"; then
		f="$(printf '%s; ' "${lines[@]}")"
		die "Go $have ($(command -v go)) is too old: PKCE Desk needs Go $want or newer (${f%; }); install it from https://go.dev/dl/ and put it first on PATH"
	fi
}

# ensure_node installs Node.js and npm from apt when they are missing, and
# warns when Node is older than the 20.19 that Vite needs.
ensure_node() {
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		ensure_apt nodejs npm
	fi
	node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
		warn "Node.js $(node --version) is older than 20.19, which the frontend build (Vite) needs; install Node 20.19+ or 22"
}

# ensure_npm_deps runs `npm ci` in frontend/ unless node_modules was installed
# from exactly the current package-lock.json (a stamp holds the lock's hash).
# A fresh checkout restores node_modules from a tarball of the last `npm ci`
# for the same lockfile in $CACHE_DIR instead of installing again.
ensure_npm_deps() {
	[ -f frontend/package.json ] || die "frontend/package.json is missing"
	ensure_node
	local stamp=frontend/node_modules/.pkcedesk-lock-sha256 want have="" saved
	want="$(sha256sum frontend/package-lock.json 2>/dev/null | cut -d' ' -f1 || true)"
	[ -f "$stamp" ] && have="$(cat "$stamp")"
	if [ -n "$want" ] && [ "$want" = "$have" ]; then
		return 0
	fi
	saved="$CACHE_DIR/npm/node_modules-$want.tar"
	if [ -n "$want" ] && [ -f "$saved" ] && [ "$(node --version)" = "$(cat "$saved.node" 2>/dev/null)" ]; then
		log "restoring frontend/node_modules for this package-lock.json from $saved"
		rm -rf frontend/node_modules
		if tar -C frontend -xf "$saved" && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
			return 0
		fi
		warn "the saved node_modules did not restore cleanly; running npm ci"
	fi
	log "npm ci (node_modules is missing or older than package-lock.json)"
	(cd frontend && npm ci --no-audit --no-fund --loglevel=error)
	mkdir -p frontend/node_modules
	[ -n "$want" ] || return 0
	printf '%s\n' "$want" >"$stamp"
	# Keep one tarball: the one for the current lockfile.
	mkdir -p "$CACHE_DIR/npm"
	rm -f "$CACHE_DIR"/npm/node_modules-*.tar "$CACHE_DIR"/npm/node_modules-*.tar.node
	if tar -C frontend -cf "$saved.tmp" node_modules; then
		mv "$saved.tmp" "$saved"
		node --version >"$saved.node"
	else
		rm -f "$saved.tmp"
	fi
	return 0
}

# NODEOIDC_TOOL is the node-oidc-provider tool of the real-provider tests:
# package.json (oidc-provider pinned exactly), package-lock.json and
# server.js. Its node_modules live outside the tree, in
# $CACHE_DIR/nodeoidc-<sha256 of the lockfile>/, where ensure_nodeoidc puts
# them; e2e/harness/nodeoidc.go computes the same folder.
NODEOIDC_TOOL="$ROOT/e2e/tools/nodeoidc"

# ensure_nodeoidc installs node-oidc-provider with `npm ci` from the
# committed lockfile into $CACHE_DIR/nodeoidc-<lock sha256>/ unless that
# folder already holds a finished install for this lockfile and this Node
# (a stamp written last), and prints the node_modules path. A lockfile
# change makes a new folder; older ones are removed. Network: the npm
# registry only.
ensure_nodeoidc() {
	ensure_node
	local lock="$NODEOIDC_TOOL/package-lock.json" want dir stamp tmp
	[ -f "$lock" ] || die "$lock is missing: the providers stage installs node-oidc-provider from it"
	want="$(sha256sum "$lock" | cut -d' ' -f1)"
	dir="$CACHE_DIR/nodeoidc-$want"
	stamp="$dir/.pkcedesk-installed"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want $(node --version)" ] &&
		[ -f "$dir/node_modules/oidc-provider/package.json" ]; then
		echo "$dir/node_modules"
		return 0
	fi
	log "npm ci for node-oidc-provider (e2e/tools/nodeoidc) into $dir"
	mkdir -p "$CACHE_DIR"
	tmp="$(mktemp -d "$CACHE_DIR/nodeoidc-tmp.XXXXXX")"
	cp "$NODEOIDC_TOOL/package.json" "$lock" "$tmp/"
	if ! (cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts >&2); then
		rm -rf "$tmp"
		die "npm ci for e2e/tools/nodeoidc failed"
	fi
	printf '%s %s\n' "$want" "$(node --version)" >"$tmp/.pkcedesk-installed"
	# Keep one install: the one for the current lockfile.
	find "$CACHE_DIR" -maxdepth 1 -name 'nodeoidc-*' -not -name "nodeoidc-$want" -not -path "$tmp" \
		-exec rm -rf {} + 2>/dev/null || true
	rm -rf "$dir"
	mv "$tmp" "$dir"
	echo "$dir/node_modules"
}

# build_frontend builds frontend/dist and puts back the committed placeholder
# that `vite build` removes (main.go embeds all:frontend/dist).
build_frontend() {
	ensure_npm_deps
	npm_run build
	touch frontend/dist/.gitkeep
}

# ensure_frontend_dist builds the frontend when dist has no index.html yet.
ensure_frontend_dist() {
	[ -f frontend/dist/index.html ] || build_frontend
}

# generate_bindings rewrites frontend/wailsjs from the methods bound in
# main.go: a -tags bindings build run in the repository root (it reads
# wails.json there). Needs neither cgo nor a display.
generate_bindings() {
	local tmp rc=0
	tmp="$(mktemp -d)"
	if ! go build -tags bindings -o "$tmp/pkce-desk-bindings" .; then
		rc=1
	elif ! env -u DISPLAY -u WAYLAND_DISPLAY "$tmp/pkce-desk-bindings" >"$tmp/out.log" 2>&1; then
		rc=1
		cat "$tmp/out.log" >&2
	fi
	rm -rf "$tmp"
	return "$rc"
}

# The app is two binaries (see cmd/pkce-desk): the command pkce-desk, pure
# Go and statically linked, which runs the headless commands and, with no
# arguments, execs the window binary pkce-desk-gui (the Wails app, cgo with
# GTK and WebKit) found beside it or in ../lib/pkce-desk.

# go_build_gui builds the production Linux window binary to $1 (default
# build/bin/pkce-desk-gui).
go_build_gui() {
	local out="${1:-$BIN_DIR/pkce-desk-gui}"
	CGO_ENABLED=1 go build -tags production,webkit2_41 -trimpath \
		-ldflags "-w -s -X main.version=$VERSION" -o "$out" .
}

# go_build_cli builds the command to $1 (default build/bin/pkce-desk) for
# $GOOS (default this machine): no cgo, so it links no GTK and no libc.
go_build_cli() {
	local out="${1:-$BIN_DIR/pkce-desk}"
	CGO_ENABLED=0 go build -trimpath -ldflags "-w -s -X main.version=$VERSION" -o "$out" ./cmd/pkce-desk
}

# go_build_dev builds the dev-tagged app to $1 (default build/bin/pkce-desk-dev):
# it serves the UI with live Go bindings on $devserver for the browser E2E.
go_build_dev() {
	local out="${1:-$BIN_DIR/pkce-desk-dev}"
	CGO_ENABLED=1 go build -tags dev,webkit2_41 -trimpath \
		-ldflags "-X main.version=$VERSION" -o "$out" .
}

# build_app builds both production binaries into the folder $1 (default
# build/bin) as `make build`, `make run` and the test stages that launch the
# app do: the frontend first when frontend/dist has not been built yet.
# $1/pkce-desk is what users run.
build_app() {
	local dir="${1:-$BIN_DIR}"
	ensure_frontend_dist
	mkdir -p "$dir"
	log "building ${dir#"$ROOT"/}/pkce-desk and pkce-desk-gui $VERSION"
	go_build_cli "$dir/pkce-desk" &
	local cli=$!
	go_build_gui "$dir/pkce-desk-gui" || { wait "$cli" || true; return 1; }
	wait "$cli"
}

# require_file PATH WHAT fails with a clear message when a file a stage runs
# is missing: a stage never passes by skipping what it is there to run.
require_file() {
	[ -f "$1" ] || die "$1 does not exist: $2"
}

# npm_run SCRIPT runs `npm run SCRIPT` in frontend/ and fails with a clear
# message when package.json defines no such script (npm would say only
# "Missing script").
npm_run() {
	(cd frontend && node -e 'process.exit(require("./package.json").scripts?.[process.argv[1]] ? 0 : 1)' "$1") ||
		die "frontend/package.json defines no \"$1\" script, which this stage runs (npm run $1)"
	(cd frontend && npm run --silent "$1")
}

# go_build_windows cross-builds the Windows binaries into the folder $1
# (default build/bin), no cgo needed: pkce-desk.exe, the window (GUI
# subsystem, -H windowsgui), and pkce-desk.com, the command (console
# subsystem), which cmd.exe and PowerShell run first for `pkce-desk …`.
# Each carries its icon, version information (strings = $VERSION) and
# application manifest: a .syso made for this build in its package folder
# (windows_syso), linked by `go build`, and removed afterwards, so no stale
# one is ever linked (they are never committed: .gitignore). The _windows_amd64
# suffix keeps every other GOOS/GOARCH build from seeing them. A lock keeps
# two Windows builds in one checkout from trading .syso files.
go_build_windows() {
	local dir="${1:-$BIN_DIR}" tmp lock rc=0
	mkdir -p "$dir" "$BIN_DIR"
	tmp="$(mktemp -d)"
	exec {lock}>"$BIN_DIR/.windows-syso.lock"
	flock "$lock"
	remove_windows_syso
	if ! build_winres "$tmp/winres" ||
		! windows_syso "$tmp/winres" . pkce-desk.exe wails.exe.manifest "" ||
		! windows_syso "$tmp/winres" cmd/pkce-desk pkce-desk.com pkce-desk.com.manifest "PKCE Desk command line" ||
		! GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -tags production -trimpath \
			-ldflags "-w -s -H windowsgui -X main.version=$VERSION" -o "$dir/pkce-desk.exe" . ||
		! GOOS=windows GOARCH=amd64 go_build_cli "$dir/pkce-desk.com"; then
		rc=1
	fi
	remove_windows_syso
	exec {lock}>&-
	rm -rf "$tmp"
	return "$rc"
}

# WINDOWS_SYSO_NAME is the generated resource object's file name: the
# _windows_amd64 suffix is a build constraint, as for a .go file.
WINDOWS_SYSO_NAME=rsrc_windows_amd64.syso

# remove_windows_syso deletes the generated .syso files of both packages.
remove_windows_syso() { rm -f "$ROOT/$WINDOWS_SYSO_NAME" "$ROOT/cmd/pkce-desk/$WINDOWS_SYSO_NAME"; }

# build_winres builds the resource generator (e2e/tools/winres, on
# github.com/tc-hib/winres as Wails uses it) to $1.
build_winres() { go build -C "$ROOT/e2e" -o "$1" ./tools/winres; }

# windows_syso GENERATOR PKGDIR FILENAME MANIFEST DESCRIPTION writes
# PKGDIR/$WINDOWS_SYSO_NAME: build/windows/icon.ico, the version information
# of build/windows/info.json (filled from wails.json, ProductVersion and
# FileVersion = $VERSION, OriginalFilename FILENAME, FileDescription
# DESCRIPTION unless empty) and build/windows/MANIFEST.
windows_syso() {
	"$1" -wails "$ROOT/wails.json" -info "$ROOT/build/windows/info.json" \
		-icon "$ROOT/build/windows/icon.ico" -manifest "$ROOT/build/windows/$4" \
		-version "$VERSION" -filename "$3" -description "$5" -arch amd64 \
		-o "$ROOT/$2/$WINDOWS_SYSO_NAME"
}

# size_of prints a file's size in MiB with one decimal.
size_of() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# free_display prints a display number in 90–99 with no X socket or lock file.
free_display() {
	local n
	for n in 90 91 92 93 94 95 96 97 98 99; do
		if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then
			echo "$n"
			return 0
		fi
	done
	return 1
}

# start_xvfb starts Xvfb on a free display and sets XVFB_PID and DISPLAY.
# It retries on the next display when another process wins the race.
start_xvfb() {
	local n tries
	for tries in 1 2 3 4 5; do
		n="$(free_display)" || die "no free X display in :90–:99"
		Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
		XVFB_PID=$!
		for _ in $(seq 1 50); do
			[ -e "/tmp/.X11-unix/X$n" ] && break
			kill -0 "$XVFB_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$XVFB_PID" 2>/dev/null && [ -e "/tmp/.X11-unix/X$n" ]; then
			export DISPLAY=":$n"
			return 0
		fi
		kill "$XVFB_PID" 2>/dev/null || true
		wait "$XVFB_PID" 2>/dev/null || true
	done
	die "Xvfb did not start after $tries tries"
}

# stop_pid PID [SECONDS] sends SIGTERM, waits up to SECONDS (default 5), then SIGKILL.
stop_pid() {
	local pid="$1" limit="${2:-5}"
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 $((limit * 10))); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

# window_colours WID prints the number of distinct colours in an X window.
window_colours() { import -window "$1" -format %k info: 2>/dev/null || echo 0; }

# wait_painted WID SECONDS waits until the window shows more than 50 colours
# (the webview has rendered the UI, not just the background). Prints the count.
wait_painted() {
	local wid="$1" limit="$2" c=0
	for _ in $(seq 1 $((limit * 4))); do
		c="$(window_colours "$wid")"
		if [ "$c" -gt 50 ]; then
			echo "$c"
			return 0
		fi
		sleep 0.25
	done
	echo "$c"
	return 1
}

# wait_settled WID SECONDS waits until the window's colour count is the same
# three polls in a row (the UI finished its first data-driven render), at most
# SECONDS. Prints the last count.
wait_settled() {
	local wid="$1" limit="$2" c last=-1 same=0
	for _ in $(seq 1 $((limit * 4))); do
		c="$(window_colours "$wid")"
		if [ "$c" -eq "$last" ]; then
			same=$((same + 1))
			[ "$same" -ge 2 ] && break
		else
			same=0
		fi
		last="$c"
		sleep 0.25
	done
	echo "$c"
}

# isolated_env DIR makes fresh HOME and XDG folders in DIR and prints them as
# NAME=value words for env(1), so a launched app never reads or writes the
# user's configuration or keychain (only the app gets them: Go's caches stay).
# NO_AT_BRIDGE=1 keeps GTK from starting the accessibility bus on a test bus.
isolated_env() {
	local d="$1"
	mkdir -p "$d/home" "$d/config" "$d/data" "$d/cache" "$d/runtime"
	chmod 700 "$d/runtime"
	printf '%s ' "HOME=$d/home" "XDG_CONFIG_HOME=$d/config" "XDG_DATA_HOME=$d/data" \
		"XDG_CACHE_HOME=$d/cache" "XDG_RUNTIME_DIR=$d/runtime" NO_AT_BRIDGE=1
}
