#!/usr/bin/env bash
# test.sh [STAGE...] — the whole check that `make test` and CI (.ci/run) run.
#
# With no arguments it runs every stage in order; with names it runs only
# those (after installing what is missing). Each stage prints its wall time,
# the run stops at the first failing stage and names it, and a summary table
# closes every run. A stage never passes by skipping: what it runs (a script,
# an npm script, fuzz targets, files to check) missing is a failure that says
# so. Stages:
#
#   deps      apt packages (only the missing ones), Go at least every go.mod's go line
#   fmt       gofmt on every .go file of the tree (both modules); shellcheck on
#             every shell script (*.sh, and files with a sh/bash #! line)
#   vet       go vet: root module, the cgo main package, the e2e module
#   unit      go test -race ./... (root module; needs no display)
#   fuzz      every Fuzz* target under the root module for $PKCE_DESK_FUZZTIME
#             (default 10s), $PKCE_DESK_FUZZ_JOBS (default 2) at a time
#   frontend  npm ci (when stale), npm run check, npm test, npm run build
#   bindings  regenerate frontend/wailsjs with -tags bindings; fail if it changed
#   build     production linux/amd64 binaries → build/bin/pkce-desk (the
#             command, pure Go) and build/bin/pkce-desk-gui (the window)
#   windows   windows/amd64 cross-build → build/bin/pkce-desk.exe (window) and
#             build/bin/pkce-desk.com (console command)
#   headless  the command is static and runs with GTK/WebKit absent and no
#             DISPLAY (scripts/without-gtk.sh); the window binary cannot
#   keychain  scripts/keyring-test.sh: the store's keychain tests on a real Secret Service
#   smoke     scripts/smoke.sh: window painted, single-instance lock, clean exit
#   dist      make dist, then checks every artifact: the .deb (lintian,
#             desktop-file-validate, appstreamcli, installed with apt, smoke
#             and a CLI sign-in, removed clean: scripts/check-deb.sh), the
#             tar.gz, the Windows PE files and installer and the release
#             workflow (e2e/packaging)
#   ui        browser E2E in the e2e module: the shared harness (./harness/...),
#             the real UI (./ui/...) and the demo provider with Chromium as the
#             system browser (./chromium/...)
#   providers real providers (Ory Hydra, zitadel's example OP, node-oidc-provider
#             installed by npm ci from e2e/tools/nodeoidc's lockfile, cached by its
#             hash) and the demo provider's grants: e2e/providers/run.sh
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_STAGES=(deps fmt vet unit fuzz frontend bindings build windows headless keychain smoke dist ui providers)
FUZZTIME="${PKCE_DESK_FUZZTIME:-10s}"
FUZZ_JOBS="${PKCE_DESK_FUZZ_JOBS:-2}"
GO_TEST_TIMEOUT="${PKCE_DESK_GO_TEST_TIMEOUT:-10m}"

stage_deps() {
	ensure_go
	ensure_apt "${APT_BUILD[@]}" "${APT_TEST[@]}" "${APT_DIST[@]}"
	go version
}

# tree_files lists the files of the tree: in a git checkout the tracked ones
# and the new ones not yet added (not the ignored ones, nor those deleted
# from the work tree).
tree_files() {
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files --cached --others --exclude-standard | sort -u |
			comm -23 - <(git ls-files --deleted | sort -u)
	else
		find . -type f -not -path './.git/*' -not -path './frontend/node_modules/*' \
			-not -path './.cache/*' -not -path './build/*' | sed 's|^\./||'
	fi
}

# shell_scripts lists every shell script: *.sh files, and files whose first
# line is a sh, bash or dash #! line (such as .ci/run).
shell_scripts() {
	tree_files | awk '{
		line = ""
		n = (getline line < $0)
		close($0)
		if (n < 0) next # listed but not in the work tree (deleted)
		if ($0 ~ /\.sh$/ || line ~ /^#!.*[\/ ](ba|da)?sh([[:space:]]|$)/) print
	}'
}

stage_fmt() {
	local files bad scripts
	files="$(tree_files | grep '\.go$' || true)"
	[ -n "$files" ] || die "no .go files found to check with gofmt"
	# shellcheck disable=SC2086 # one word per path; paths have no spaces
	bad="$(gofmt -l $files)"
	if [ -n "$bad" ]; then
		echo "gofmt would change these files (run gofmt -w on them):" >&2
		echo "$bad" >&2
		return 1
	fi
	echo "$(echo "$files" | wc -l) Go files formatted"
	scripts="$(shell_scripts)"
	[ -n "$scripts" ] || die "no shell scripts found to check with shellcheck"
	command -v shellcheck >/dev/null 2>&1 || die "shellcheck is not installed (apt-get install shellcheck)"
	# shellcheck disable=SC2086 # one word per path; paths have no spaces
	shellcheck -x -P scripts $scripts
	echo "$(echo "$scripts" | wc -l) shell scripts pass shellcheck: $(echo "$scripts" | tr "\n" " ")"
}

stage_vet() {
	go vet ./...
	CGO_ENABLED=1 go vet -tags production,webkit2_41 .
	(cd e2e && go vet ./...)
}

stage_unit() {
	go test -race -timeout "$GO_TEST_TIMEOUT" ./...
}

# fuzz_deadline_race LOG succeeds when a fuzz run failed only by Go 1.26's
# coordinator race at the -fuzztime boundary (go.dev/issue/75804): its sole
# failure line is "context deadline exceeded" and no failing input was
# written. A real crasher or hang always writes one ("Failing input written
# to ..."), so it is never excused.
fuzz_deadline_race() {
	local log="$1"
	! grep -q 'Failing input written to' "$log" &&
		[ "$(grep -c '^--- FAIL: ' "$log")" -eq 1 ] &&
		grep -A1 '^--- FAIL: ' "$log" | tail -n 1 | grep -qx '[[:space:]]*context deadline exceeded'
}

stage_fuzz() {
	local hits line file name dir logs n=0 failed=0 rc
	hits="$(grep -rEo --include='*_test.go' --exclude-dir=node_modules --exclude-dir=e2e \
		--exclude-dir=.cache '^func Fuzz[A-Za-z0-9_]*' . || true)"
	[ -n "$hits" ] || die "no Fuzz* targets found in the root module's _test.go files: the fuzz stage would fuzz nothing"
	# Targets run $FUZZ_JOBS at a time with one fuzz worker each, so the
	# stage's wall time stays near (targets / jobs) × $FUZZTIME as targets are
	# added. Each target's output goes to its own log, shown when it fails.
	logs="$(mktemp -d)"
	while IFS= read -r line; do
		file="${line%%:*}"
		name="${line##*func }"
		dir="$(dirname "$file")"
		while [ "$(jobs -rp | wc -l)" -ge "$FUZZ_JOBS" ]; do
			wait -n || true
		done
		log "fuzz $name in $dir for $FUZZTIME"
		(
			rc=0
			go test -run='^$' -fuzz="^${name}\$" -fuzztime="$FUZZTIME" -parallel=1 "$dir" \
				>"$logs/$name.log" 2>&1 || rc=$?
			echo "$rc" >"$logs/$name.rc"
		) &
		n=$((n + 1))
	done <<<"$hits"
	wait
	for rc in "$logs"/*.rc; do
		name="$(basename "$rc" .rc)"
		if [ "$(cat "$rc")" != 0 ] && fuzz_deadline_race "$logs/$name.log"; then
			echo "fuzz $name: Go's coordinator reported 'context deadline exceeded' as the time ran out, with no failing input (go.dev/issue/75804, fixed in Go 1.27); not a finding" >&2
		elif [ "$(cat "$rc")" != 0 ]; then
			failed=$((failed + 1))
			printf '\n--- fuzz target %s failed ---\n' "$name" >&2
			cat "$logs/$name.log" >&2
		fi
	done
	rm -rf "$logs"
	[ "$failed" -eq 0 ] || {
		echo "$failed of $n fuzz targets failed (a failing input is saved under the package's testdata/fuzz/)" >&2
		return 1
	}
	echo "$n fuzz targets ran for $FUZZTIME each, $FUZZ_JOBS at a time"
}

stage_frontend() {
	ensure_npm_deps
	npm_run check
	npm_run test
	build_frontend
	echo "frontend/dist: $(find frontend/dist -type f | wc -l) files"
}

stage_bindings() {
	local untracked
	generate_bindings
	untracked="$(git ls-files --others --exclude-standard -- frontend/wailsjs)"
	if ! git -c core.fileMode=false diff --exit-code --stat -- frontend/wailsjs || [ -n "$untracked" ]; then
		[ -n "$untracked" ] && printf 'untracked generated files:\n%s\n' "$untracked" >&2
		echo "frontend/wailsjs is out of date with app.go/view: commit the regenerated files (make bindings)" >&2
		return 1
	fi
	echo "frontend/wailsjs is up to date"
}

stage_build() {
	build_app "$BIN_DIR"
	echo "build/bin/pkce-desk $VERSION linux/amd64: $(size_of "$BIN_DIR/pkce-desk") (command, static)"
	echo "build/bin/pkce-desk-gui $VERSION linux/amd64: $(size_of "$BIN_DIR/pkce-desk-gui") (window)"
}

stage_windows() {
	ensure_frontend_dist
	go_build_windows "$BIN_DIR"
	echo "build/bin/pkce-desk.exe $VERSION windows/amd64: $(size_of "$BIN_DIR/pkce-desk.exe") (window)"
	echo "build/bin/pkce-desk.com $VERSION windows/amd64: $(size_of "$BIN_DIR/pkce-desk.com") (command)"
}

# ensure_prod_binary builds the production binary unless the build stage of
# this run already did.
ensure_prod_binary() {
	if [ -z "${BUILT_PROD:-}" ] || [ ! -x "$BIN_DIR/pkce-desk" ] || [ ! -x "$BIN_DIR/pkce-desk-gui" ]; then
		stage_build
	fi
}

# no_gtk PROGRAM [ARGS...] runs PROGRAM with no display, no session bus and
# GTK/WebKit's libraries covered (scripts/without-gtk.sh), bounded by 20 s.
no_gtk() {
	env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
		timeout 20 bash scripts/without-gtk.sh "$@"
}

stage_headless() {
	require_file scripts/without-gtk.sh "the headless stage runs the command through it (GTK and WebKit covered)"
	ensure_prod_binary
	local cmd out rc tmp bin="$BIN_DIR/pkce-desk"
	# The command is statically linked: no ELF interpreter, no shared
	# library, so nothing of GTK or WebKit (or libc) can load before main.
	if readelf -lW "$bin" | grep -q 'INTERP' || readelf -dW "$bin" | grep -q 'NEEDED'; then
		readelf -dW "$bin" | grep NEEDED >&2 || true
		echo "build/bin/pkce-desk is dynamically linked: the command must be pure Go (CGO_ENABLED=0)" >&2
		return 1
	fi
	echo "pkce-desk: statically linked, no shared libraries"
	# The covering works: the window binary cannot start under it.
	rc=0
	out="$(no_gtk "$BIN_DIR/pkce-desk-gui" version 2>&1)" || rc=$?
	case "$rc:$out" in
	0:*)
		echo "pkce-desk-gui started with GTK and WebKit covered ($out): scripts/without-gtk.sh covers nothing" >&2
		return 1
		;;
	*"error while loading shared libraries"*) echo "pkce-desk-gui with GTK/WebKit covered: fails to load, as it must" ;;
	*)
		echo "pkce-desk-gui with GTK/WebKit covered failed (status $rc) without naming a library: $out" >&2
		return 1
		;;
	esac
	for cmd in "login --help" "demo-provider --help"; do
		rc=0
		# shellcheck disable=SC2086 # split "login --help" into two arguments
		out="$(no_gtk "$bin" $cmd 2>&1)" || rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "$out" >&2
			echo "'pkce-desk $cmd' failed with GTK/WebKit absent and no display (status $rc)" >&2
			return 1
		fi
		echo "pkce-desk $cmd: ok ($(echo "$out" | wc -l) lines of help)"
	done
	out="$(no_gtk "$bin" version 2>&1)"
	case "$out" in
	*"$VERSION"*) echo "pkce-desk version: $out" ;;
	*)
		echo "'pkce-desk version' printed '$out', want it to contain $VERSION (ldflags -X main.version)" >&2
		return 1
		;;
	esac
	# Arguments naming no command are refused (status 2, "unknown command"
	# and the usage on stderr), never taken as a request to open the window.
	# A scratch HOME: a regression shows as a GTK message or a hang, and
	# cannot reach a running app or the keychain.
	tmp="$(mktemp -d)"
	for cmd in "lgoin --issuer x" "run --help"; do
		rc=0
		# shellcheck disable=SC2046,SC2086 # one word per NAME=value and per argument
		env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS $(isolated_env "$tmp") \
			timeout 20 bash scripts/without-gtk.sh "$bin" $cmd >"$tmp/out" 2>"$tmp/err" || rc=$?
		if [ "$rc" -eq 124 ]; then
			echo "'pkce-desk $cmd' was still running after 20 s with no display: it must exit at once with status 2" >&2
		elif grep -qE 'Gtk|GTK|Gdk|WebKit|cannot open display|pkce-desk-gui' "$tmp/err"; then
			echo "'pkce-desk $cmd' tried to open the window (output below): an unknown command must not" >&2
		elif [ "$rc" -ne 2 ] || ! grep -q 'unknown command' "$tmp/err" || ! grep -q '^Usage:' "$tmp/err"; then
			echo "'pkce-desk $cmd' exited with status $rc: want status 2 with 'unknown command' and the usage on stderr" >&2
		elif [ -s "$tmp/out" ]; then
			echo "'pkce-desk $cmd' wrote to stdout: the refusal and the usage belong on stderr" >&2
		else
			echo "pkce-desk $cmd: refused, status 2: $(head -n 1 "$tmp/err")"
			continue
		fi
		cat "$tmp/out" "$tmp/err" >&2
		rm -rf "$tmp"
		return 1
	done
	rm -rf "$tmp"
}

stage_keychain() {
	require_file scripts/keyring-test.sh "the keychain stage runs it (the store's keychain tests against a real Secret Service)"
	bash scripts/keyring-test.sh
}

stage_smoke() {
	require_file scripts/smoke.sh "the smoke stage runs it (the production binary under Xvfb)"
	ensure_prod_binary
	bash scripts/smoke.sh "$BIN_DIR/pkce-desk"
}

stage_dist() {
	require_file scripts/check-deb.sh "the dist stage runs it (the .deb installed, smoke-tested and removed)"
	bash scripts/dist.sh
	bash scripts/check-deb.sh "$ROOT/build/dist"
	(cd e2e && PKCE_DESK_DIST_DIR="$ROOT/build/dist" PKCE_DESK_REQUIRE_ARTIFACTS=1 \
		go test -count=1 -timeout "$GO_TEST_TIMEOUT" ./packaging/... ./tools/winres/...)
}

stage_ui() {
	local pkg
	for pkg in harness ui chromium; do
		[ -d "e2e/$pkg" ] || die "e2e/$pkg does not exist: the ui stage tests ./$pkg/... in the e2e module"
	done
	ensure_frontend_dist
	mkdir -p "$BIN_DIR"
	go_build_dev "$BIN_DIR/pkce-desk-dev"
	# The headless commands are the pure-Go command (cmd/pkce-desk); the
	# e2e CLI tests (a real `login` through Chromium, `demo-provider`) run it
	# with GTK and WebKit covered, as on a server that has neither.
	go_build_cli "$BIN_DIR/pkce-desk-cli"
	printf '#!/bin/sh\nexec bash %q %q "$@"\n' "$ROOT/scripts/without-gtk.sh" "$BIN_DIR/pkce-desk-cli" >"$BIN_DIR/pkce-desk-cli-nogtk"
	chmod +x "$BIN_DIR/pkce-desk-cli-nogtk"
	(cd e2e && PKCE_DESK_DEV_BIN="$BIN_DIR/pkce-desk-dev" PKCE_DESK_PLAIN_BIN="$BIN_DIR/pkce-desk-cli-nogtk" \
		go test -count=1 -timeout "$GO_TEST_TIMEOUT" ./harness/... ./ui/... ./chromium/...)
}

stage_providers() {
	require_file e2e/providers/run.sh "the providers stage runs it (builds Hydra and zitadel's OP, installs node-oidc-provider, runs e2e/providers)"
	bash e2e/providers/run.sh
}

# --- runner -----------------------------------------------------------------

stages=("$@")
[ "${#stages[@]}" -gt 0 ] || stages=("${ALL_STAGES[@]}")
for s in "${stages[@]}"; do
	declare -F "stage_$s" >/dev/null || die "unknown stage '$s' (stages: ${ALL_STAGES[*]})"
done
# Every run installs what is missing first, so single stages work on a fresh machine.
[ "${stages[0]}" = deps ] || stages=(deps "${stages[@]}")

names=() times=() results=()
summary() {
	local i total=0
	printf '\n%-10s %-6s %8s\n' STAGE RESULT SECONDS
	for i in "${!names[@]}"; do
		printf '%-10s %-6s %8s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}"
		total="$(awk -v a="$total" -v b="${times[$i]}" 'BEGIN { printf "%.1f", a + b }')"
	done
	printf '%-10s %-6s %8s\n' total "" "$total"
}

log "pkce-desk $VERSION: stages ${stages[*]}"
for s in "${stages[@]}"; do
	printf '\n\033[1m--- stage %s ---\033[0m\n' "$s"
	start="$(now)"
	set +e
	(
		set -e
		"stage_$s"
	)
	rc=$?
	set -e
	names+=("$s")
	times+=("$(elapsed "$start")")
	if [ "$rc" -ne 0 ]; then
		results+=(FAIL)
		summary
		printf '\n\033[1;31mFAILED at stage %s\033[0m (status %d)\n' "$s" "$rc" >&2
		exit 1
	fi
	results+=(ok)
	echo "stage $s: ok in ${times[-1]}s"
	[ "$s" = build ] && export BUILT_PROD=1
done
summary
printf '\n\033[1;32mall %d stages passed\033[0m\n' "${#names[@]}"
