#!/usr/bin/env bash
# bench.sh — `make bench`: what the app costs compared with an empty Wails app.
#
# For our production binary and for the bare Wails v2 vanilla template (made
# with the Wails CLI in ~/.cache/pkce-desk, never committed, built exactly like ours:
# -tags production,webkit2_41 -trimpath -ldflags "-w -s"), it measures over
# $PKCE_DESK_BENCH_RUNS launches (default 5) under a private Xvfb and D-Bus session:
#   - launch → painted: from exec until the window shows > 50 colours
#     (e2e/tools/paintprobe polls the X server every 16 ms);
#   - idle memory: PSS summed over the app and all its descendants (the
#     WebKit web and network processes) from /proc/PID/smaps_rollup, after
#     the app settled for $PKCE_DESK_BENCH_SETTLE seconds (default 5). PSS shares library
#     pages among every process mapping them, so it moves with whatever else
#     runs; the private (unshared) total is printed too, and the runs of the
#     two apps alternate so both see the same load.
# "Ours" is build/bin/pkce-desk as users start it: the pure-Go command,
# which execs the window binary pkce-desk-gui (same PID), so its start is in
# the figure. It prints each run, the medians and the ratios ours/baseline
# (targets: launch → painted ≤ 1.05×, idle PSS ≤ 1.10×), then the Go
# benchmarks of the root module (go test -bench=.), then scripts/bench-cli.sh
# (headless start, `pkce-desk login` on Hydra vs a minimal client) and the
# 50 MB response in the Requests tab (a Chromium benchmark in e2e/ui).
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${PKCE_DESK_BENCH_RUNS:-5}"
SETTLE="${PKCE_DESK_BENCH_SETTLE:-5}"
WAILS_VERSION=v2.16.0

# bench_large_response runs e2e/ui's BenchmarkLargeResponse: a 50 MB JSON
# answer sent from the Requests tab of the dev build in headless Chromium,
# reporting ms from the answer to painted lines, Flow ↔ Requests, and the
# worst click, long task and timer gap while the view is busy.
bench_large_response() {
	go_build_dev "$BIN_DIR/pkce-desk-dev"
	(cd e2e && PKCE_DESK_DEV_BIN="$BIN_DIR/pkce-desk-dev" PKCE_DESK_VERSION="$VERSION" \
		go test -count=1 -run '^$' -bench '^BenchmarkLargeResponse$' -benchtime=3x -timeout 20m ./ui/)
}

if [ -z "${PKCE_DESK_BENCH_IN_BUS:-}" ]; then
	ensure_go
	ensure_apt "${APT_BUILD[@]}" "${APT_TEST[@]}"
	ensure_node

	# Our binary.
	build_app "$BIN_DIR"

	# The baseline: wails init -t vanilla, built once per Wails version.
	tools="$CACHE_DIR/tools/wails-$WAILS_VERSION"
	base="$CACHE_DIR/bench/baseline-$WAILS_VERSION"
	if [ ! -x "$tools/wails" ]; then
		log "installing the Wails CLI $WAILS_VERSION into $tools"
		GOBIN="$tools" go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
	fi
	if [ ! -x "$base/build/bin/baseline" ]; then
		log "making the baseline app (wails init -t vanilla) in $base"
		rm -rf "$base"
		mkdir -p "$(dirname "$base")"
		"$tools/wails" init -n baseline -d "$base" -t vanilla -q
		(cd "$base/frontend" && npm install --no-audit --no-fund --loglevel=error && npm run build)
		(cd "$base" && CGO_ENABLED=1 go build -tags production,webkit2_41 -trimpath \
			-ldflags "-w -s" -o build/bin/baseline .)
	fi
	# The paint probe: a pure-Go X11 client (e2e/tools/paintprobe).
	PAINTPROBE="$BIN_DIR/paintprobe"
	(cd e2e/tools/paintprobe && go build -o "$PAINTPROBE" .)
	# The launches run in a private D-Bus session whose services (and the
	# apps) get temp HOME/XDG folders; the Go benchmarks run out here, with
	# the real Go caches.
	tmp="$(mktemp -d /tmp/pkce-desk-bench.XXXXXX)"
	trap 'rm -rf "$tmp"' EXIT
	read -r -a bus_env <<<"$(isolated_env "$tmp/bus")"
	env "${bus_env[@]}" PKCE_DESK_BENCH_IN_BUS="$tmp" PAINTPROBE="$PAINTPROBE" PKCE_DESK_BENCH_BASELINE="$base/build/bin/baseline" \
		dbus-run-session -- bash "$0" "$@"
	# PKCE_DESK_BENCH_ONLY=launch stops after the launch figures.
	[ "${PKCE_DESK_BENCH_ONLY:-}" != launch ] || exit 0
	echo
	log "Go benchmarks (go test -run=^\$ -bench=. -benchmem ./...)"
	go test -run='^$' -bench=. -benchmem ./...
	echo
	log "the command: headless start and sign-in on Hydra (scripts/bench-cli.sh)"
	bash scripts/bench-cli.sh
	echo
	log "a 50 MB JSON response in the Requests tab (Chromium, e2e/ui BenchmarkLargeResponse)"
	bench_large_response
	exit 0
fi

# --- inside the private D-Bus session from here on ----------------------------

tmp="$PKCE_DESK_BENCH_IN_BUS"
XVFB_PID="" APP_PID=""
cleanup() {
	local rc=$?
	kill_tree "$APP_PID"
	stop_pid "$XVFB_PID" 5
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# descendants PID prints PID and every process below it.
descendants() {
	local p="$1" c
	echo "$p"
	for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do
		descendants "$c"
	done
}

# kill_tree PID stops the app with SIGTERM (its WebKit helpers go with it),
# then whatever it started that is still there, each by PID.
kill_tree() {
	[ -n "${1:-}" ] || return 0
	local pids p
	pids="$(descendants "$1")"
	for p in $pids; do
		stop_pid "$p" 5
	done
}

# rollup_kib FIELD PID... sums one smaps_rollup field (Pss, Private_Dirty, …)
# over the processes, in KiB.
rollup_kib() {
	local field="$1" total=0 p v
	shift
	for p in "$@"; do
		v="$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true)"
		total=$((total + ${v:-0}))
	done
	echo "$total"
}

# pss_by_process PID... prints "name MiB" for each process, comma-separated,
# so a difference can be traced to the UI, web or network process.
pss_by_process() {
	local p v out=()
	for p in "$@"; do
		v="$(awk '/^Pss:/ { printf "%.0f", $2 / 1024 }' "/proc/$p/smaps_rollup" 2>/dev/null || true)"
		out+=("$(cat "/proc/$p/comm" 2>/dev/null || echo "$p") ${v:-?}")
	done
	local IFS=,
	echo "${out[*]}"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# measure_once NAME BINARY TITLE RUN — one launch; appends
# "seconds pss_kib private_kib" to $tmp/NAME.
measure_once() {
	local name="$1" bin="$2" title="$3" run="$4" t0 paint pids pss priv
	read -r -a app_env <<<"$(isolated_env "$tmp/$name-home")"
	t0="$(date +%s%N)"
	env "${app_env[@]}" "$bin" >"$tmp/$name.log" 2>&1 &
	APP_PID=$!
	# paintprobe polls the X server every 16 ms in one process (a process
	# per poll, as with ImageMagick's import, made the figure 0.1 s coarse).
	if ! paint="$("$PAINTPROBE" -since "$t0" -title "$title" -every 16ms -timeout 30s)"; then
		tail -n 20 "$tmp/$name.log" >&2
		die "$name: no painted '$title' window within 30 s (run $run; its output is above)"
	fi
	sleep "$SETTLE"
	mapfile -t pids < <(descendants "$APP_PID")
	pss="$(rollup_kib Pss "${pids[@]}")"
	priv=$(($(rollup_kib Private_Clean "${pids[@]}") + $(rollup_kib Private_Dirty "${pids[@]}")))
	printf '  %-9s run %d: painted %5.2f s, idle PSS %6.1f MiB, private %6.1f MiB (PSS: %s)\n' \
		"$name" "$run" "$paint" "$(awk -v k="$pss" 'BEGIN { print k / 1024 }')" \
		"$(awk -v k="$priv" 'BEGIN { print k / 1024 }')" "$(pss_by_process "${pids[@]}")"
	echo "$paint $pss $priv" >>"$tmp/$name"
	kill_tree "$APP_PID"
	APP_PID=""
	sleep 1
}

start_xvfb
log "display $DISPLAY, $RUNS runs each, ${SETTLE}s settle; runs alternate so both see the same machine load"
for run in $(seq 1 "$RUNS"); do
	measure_once ours "$BIN_DIR/pkce-desk" "PKCE Desk" "$run"
	measure_once baseline "$PKCE_DESK_BENCH_BASELINE" "baseline" "$run"
done

# col NAME N prints the median of column N of $tmp/NAME.
col() { cut -d' ' -f"$2" "$tmp/$1" | median; }
echo
printf '%-30s %12s %12s %8s\n' "median of $RUNS" ours baseline ratio
awk -v a="$(col ours 1)" -v b="$(col baseline 1)" 'BEGIN { printf "%-30s %10.2f s %10.2f s %8.2f\n", "launch → painted window", a, b, a / b }'
awk -v a="$(col ours 2)" -v b="$(col baseline 2)" 'BEGIN { printf "%-30s %8.1f MiB %8.1f MiB %8.2f\n", "idle memory, PSS (all procs)", a / 1024, b / 1024, a / b }'
awk -v a="$(col ours 3)" -v b="$(col baseline 3)" 'BEGIN { printf "%-30s %8.1f MiB %8.1f MiB %8.2f\n", "idle memory, private (info)", a / 1024, b / 1024, a / b }'
awk -v t="$(col ours 1)" -v bt="$(col baseline 1)" -v m="$(col ours 2)" -v bm="$(col baseline 2)" 'BEGIN {
	ok = (t / bt <= 1.05 && m / bm <= 1.10)
	print (ok ? "target met: launch → painted ≤ 1.05×, idle PSS ≤ 1.10×" : "target missed: launch → painted must be ≤ 1.05× and idle PSS ≤ 1.10×")
}'
