#!/usr/bin/env bash
# bench-cli.sh — what the headless command costs (issue 12). scripts/bench.sh
# calls it; it also runs on its own from a fresh clone (it builds what it needs).
#
#   1. Headless start: pkce-desk built as `make build` makes it (pure Go,
#      go_build_cli) and a pure-Go hello world built the same way in a temp
#      folder; `pkce-desk version` and hello world run alternately
#      $PKCE_DESK_BENCH_START_RUNS times each (default 21), each timed from
#      exec to exit with its peak RSS (getrusage, by a small Go runner built
#      here: /usr/bin/time reports wall time in 10 ms steps). Prints every run,
#      the medians and the ratios (target: start ≤ 3× hello world).
#   2. Sign-in: `pkce-desk login --json` against Ory Hydra next to
#      e2e/tools/minclient (x/oauth2 + go-oidc, minimal but careful), each
#      timed from exec to exit with the same stand-in browser,
#      $PKCE_DESK_BENCH_LOGIN_RUNS times each (default 11), alternating
#      (e2e/providers/bench_login_test.go). Hydra is built once per version
#      into $PKCE_DESK_CACHE, where e2e/providers/run.sh keeps it. Prints the
#      runs, the medians and the ratio (target ≤ 1.2×).
# The figures are printed, never judged: the script fails only when
# something could not be built or run.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

START_RUNS="${PKCE_DESK_BENCH_START_RUNS:-21}"
LOGIN_RUNS="${PKCE_DESK_BENCH_LOGIN_RUNS:-11}"

ensure_go

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pkce-desk-bench-cli.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# ensure_hydra builds Ory Hydra into the cache unless it is there: the
# version named in e2e/harness/hydra.go, from the pinned tool module
# e2e/tools/hydra, to the path e2e/providers/run.sh and the harness use
# (~4 min cold).
ensure_hydra() {
	local version bin
	version="$(awk -F'"' '/^const HydraVersion = / { print $2 }' "$ROOT/e2e/harness/hydra.go")"
	[ -n "$version" ] || die "no HydraVersion in e2e/harness/hydra.go"
	bin="$CACHE_DIR/hydra-$version/hydra"
	HYDRA_BIN="$bin"
	[ -x "$bin" ] && return 0
	log "building Ory Hydra $version (once; ~4 min cold) into $bin"
	mkdir -p "$(dirname "$bin")"
	(cd "$ROOT/e2e/tools/hydra" &&
		go build -tags sqlite,sqlite_omit_load_extension -o "$bin.tmp.$$" github.com/ory/hydra/v2)
	mv -f "$bin.tmp.$$" "$bin"
}

# 1. Headless start.
mkdir -p "$tmp/hello" "$tmp/runner"
cli="$tmp/pkce-desk" # not build/bin: a concurrent `make build` may be writing there
log "building pkce-desk $VERSION (pure Go, as make build does) and a pure-Go hello world"
go_build_cli "$cli"
cat >"$tmp/hello/go.mod" <<'EOF'
module hello

go 1.26
EOF
cat >"$tmp/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello, world") }
EOF
(cd "$tmp/hello" && CGO_ENABLED=0 go build -trimpath -ldflags "-w -s" -o "$tmp/hello-world" .)

# The runner: RUNS NAME_A PATH_A [ARGS…] -- NAME_B PATH_B [ARGS…]. It runs A
# and B alternately (A first on even runs), times each from exec to exit and
# reads its peak RSS from getrusage; output goes to /dev/null.
cat >"$tmp/runner/go.mod" <<'EOF'
module runner

go 1.26
EOF
cat >"$tmp/runner/main.go" <<'EOF'
package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"syscall"
	"time"
)

type prog struct {
	name string
	argv []string
	wall []time.Duration
	rss  []int64 // KiB
}

func main() {
	runs, err := strconv.Atoi(os.Args[1])
	if err != nil || runs < 1 {
		fail("runs: want a positive number, got %q", os.Args[1])
	}
	rest := os.Args[2:]
	i := slices.Index(rest, "--")
	if i < 2 || len(rest)-i < 3 {
		fail("usage: runner RUNS NAME PATH [ARGS…] -- NAME PATH [ARGS…]")
	}
	a, b := &prog{name: rest[0], argv: rest[1:i]}, &prog{name: rest[i+1], argv: rest[i+2:]}
	a.run(-1)
	b.run(-1) // warm-up: page cache
	for r := range runs {
		first, second := a, b
		if r%2 == 1 {
			first, second = b, a
		}
		first.run(r)
		second.run(r)
	}
	for _, p := range []*prog{a, b} {
		fmt.Printf("BENCH-START median %s %.2fms %d KiB\n", p.name, ms(median(p.wall)), median(p.rss))
	}
	fmt.Printf("BENCH-START ratio wall %.2f rss %.2f\n",
		float64(median(a.wall))/float64(median(b.wall)), float64(median(a.rss))/float64(median(b.rss)))
}

func (p *prog) run(r int) {
	cmd := exec.Command(p.argv[0], p.argv[1:]...)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		fail("%s: %v", p.name, err)
	}
	wall := time.Since(start)
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	if r < 0 {
		return
	}
	p.wall, p.rss = append(p.wall, wall), append(p.rss, rss)
	fmt.Printf("BENCH-START run %d %s %.2fms %d KiB\n", r+1, p.name, ms(wall), rss)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "runner: "+format+"\n", args...)
	os.Exit(1)
}
EOF
(cd "$tmp/runner" && CGO_ENABLED=0 go build -o "$tmp/run-alternately" .)
log "headless start: pkce-desk version vs hello world, $START_RUNS runs each"
"$tmp/run-alternately" "$START_RUNS" pkce-desk "$cli" version -- hello-world "$tmp/hello-world" | tee "$tmp/start.log"

# 2. Sign-in against Hydra.
ensure_hydra
log "sign-in on Ory Hydra: pkce-desk login vs minclient, $LOGIN_RUNS runs each"
set +e
(cd "$ROOT/e2e" && PKCE_DESK_BENCH=1 PKCE_DESK_BENCH_LOGIN_RUNS="$LOGIN_RUNS" PKCE_DESK_HYDRA_BIN="$HYDRA_BIN" \
	PKCE_DESK_PLAIN_BIN="$cli" PKCE_DESK_REQUIRE_PROVIDERS=1 \
	go test -count=1 -timeout 15m -v -run '^TestBenchLoginHydra$' ./providers/) >"$tmp/login.log" 2>&1
rc=$?
set -e
grep '^BENCH-LOGIN ' "$tmp/login.log" || true
if [ "$rc" -ne 0 ] || ! grep -q '^--- PASS: TestBenchLoginHydra ' "$tmp/login.log"; then
	cat "$tmp/login.log" >&2
	die "the login benchmark failed (see above)"
fi

echo
echo "== headless command =="
awk '$2 == "median" || $2 == "ratio" { $1 = "  start:"; print }' "$tmp/start.log"
echo "  (target: start wall ≤ 3× hello world)"
awk '$2 == "median" || $2 == "ratio" { $1 = "  login:"; print }' "$tmp/login.log"
echo "  (target: login ≤ 1.2× minclient)"
