#!/usr/bin/env bash
# Real-provider tests: PKCE Desk against Ory Hydra and zitadel/oidc's example OP.
#
# The one entry point `make test` calls. It
#   1. builds Ory Hydra once per version from the pinned tool module
#      e2e/tools/hydra (~4 min cold) into
#      ${XDG_CACHE_HOME:-$HOME/.cache}/pkce-desk/hydra-<version>/hydra, reused when present;
#   2. builds the zitadel example OP wrapper (e2e/tools/zitadelop) and the
#      pkce-desk binary (CGO_ENABLED=0, no tags: the headless commands need no GUI);
#   3. runs `go test ./providers/...` in the e2e module, once per provider,
#      and prints how long each provider's setup and suite took;
#   4. exits non-zero if any build or test failed.
# Every server the tests start binds 127.0.0.1 only and is stopped by PID;
# the trap below kills, by recorded PID, any a crashed test binary left behind.
#
# Options (environment):
#   PROVIDERS="hydra zitadel"   which suites to run
#   GO_TEST_FLAGS="-race"       extra flags for go test (default: -race when cgo works)
#   KEEP_TMP=1                  keep the temp dir (binaries, logs)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
e2e="$(cd "$here/.." && pwd)"
root="$(cd "$e2e/.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/pkce-desk"
hydra_version="v2.3.0"
hydra_bin="$cache/hydra-$hydra_version/hydra"
providers="${PROVIDERS:-hydra zitadel}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pkce-desk-providers.XXXXXX")"
piddir="$tmp/pids"
mkdir -p "$piddir"

cleanup() {
	local rc=$?
	# Kill leftovers by the PIDs the harness recorded (each server runs in
	# its own process group, so -PID reaches its children too).
	for f in "$piddir"/*; do
		[ -e "$f" ] || continue
		pid="$(basename "$f")"
		case "$pid" in '' | *[!0-9]*) continue ;; esac
		if kill -0 "$pid" 2>/dev/null; then
			echo "run.sh: killing leftover server pid $pid" >&2
			kill -TERM -- "-$pid" 2>/dev/null || true
			sleep 1
			kill -KILL -- "-$pid" 2>/dev/null || true
		fi
	done
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		echo "run.sh: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
summary=()

# 1. Hydra, cached by version.
if [[ " $providers " == *" hydra "* ]]; then
	t0="$(now)"
	if [ -x "$hydra_bin" ]; then
		summary+=("hydra build: cached ($hydra_bin)")
	else
		echo "run.sh: building Ory Hydra $hydra_version (once; ~4 min cold) into $hydra_bin" >&2
		mkdir -p "$(dirname "$hydra_bin")"
		(cd "$e2e/tools/hydra" &&
			go build -tags sqlite,sqlite_omit_load_extension -o "$hydra_bin.tmp.$$" github.com/ory/hydra/v2)
		mv -f "$hydra_bin.tmp.$$" "$hydra_bin"
		summary+=("hydra build: $(elapsed "$t0") (cold)")
	fi
fi

# 2. The zitadel example OP wrapper and the pkce-desk CLI (Go's build cache
#    makes these ~1 s warm).
t0="$(now)"
(cd "$e2e/tools/zitadelop" && go build -o "$tmp/zitadelop" .)
summary+=("zitadelop build: $(elapsed "$t0")")
failed=0
t0="$(now)"
if (cd "$root" && CGO_ENABLED=0 go build -o "$tmp/pkce-desk" .); then
	summary+=("pkce-desk build: $(elapsed "$t0")")
else
	# Keep going: the engine-level suites still tell something; the CLI
	# subtests then fail on the missing binary.
	summary+=("pkce-desk build: FAILED (the CLI subtests fail with it)")
	failed=1
fi

# 3. The suites, one go test run per provider so each is timed on its own.
flags="${GO_TEST_FLAGS-}"
if [ -z "${GO_TEST_FLAGS+x}" ] && [ "$(go env CGO_ENABLED)" = 1 ] && command -v gcc >/dev/null; then
	flags="-race"
fi
export PKCE_E2E_HYDRA_BIN="$hydra_bin"
export PKCE_E2E_ZITADELOP_BIN="$tmp/zitadelop"
export PKCE_E2E_PKCEDESK_BIN="$tmp/pkce-desk"
export PKCE_E2E_REQUIRE=1
export PKCE_E2E_PIDDIR="$piddir"

for p in $providers; do
	case "$p" in
	hydra) run='^TestHydra$' ;;
	zitadel) run='^TestZitadel$' ;;
	*) echo "run.sh: unknown provider $p (use hydra, zitadel)" >&2; exit 2 ;;
	esac
	log="$tmp/$p.log"
	t0="$(now)"
	set +e
	# shellcheck disable=SC2086 # flags is a word list on purpose
	(cd "$e2e" && go test $flags -count=1 -timeout 10m -v -run "$run" ./providers/...) 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	total="$(elapsed "$t0")"
	setup="$(awk -v p="$p" '$1 == "PROVIDER-TIMING" && $2 == p && $3 == "setup" { print $4 }' "$log" | tail -1)"
	suite="$(awk -v p="$p" '$1 == "PROVIDER-TIMING" && $2 == p && $3 == "suite" { print $4 }' "$log" | tail -1)"
	status=ok
	if [ "$rc" -ne 0 ]; then status=FAIL; failed=1; fi
	summary+=("$p: $status — provider setup ${setup:-?}, suite ${suite:-?}, go test total $total (incl. compile)")
done

echo
echo "== real-provider tests =="
for line in "${summary[@]}"; do echo "  $line"; done
exit "$failed"
