#!/usr/bin/env bash
# Real-provider tests: PKCE Desk against Ory Hydra, zitadel/oidc's example
# OP, node-oidc-provider, and (for the grants beyond the code flow) the demo
# provider.
#
# The one entry point `make test` (the providers stage) calls. It
#   1. builds Ory Hydra once per version from the pinned tool module
#      e2e/tools/hydra (~4 min cold) into $PKCE_DESK_CACHE/hydra-<version>/hydra
#      (default ~/.cache/pkce-desk), reused when present; and installs
#      node-oidc-provider (npm ci from e2e/tools/nodeoidc/package-lock.json,
#      ~3 s cold) into $PKCE_DESK_CACHE/nodeoidc-<lockfile sha256>/, reused
#      while the lockfile is unchanged (ensure_nodeoidc in scripts/lib.sh);
#   2. builds the zitadel example OP wrapper (e2e/tools/zitadelop), and the
#      pkce-desk command (cmd/pkce-desk: pure Go, the headless commands)
#      where the ui stage builds it, build/bin/pkce-desk-cli (go build
#      leaves it alone when that stage already built it from these sources);
#   3. builds the e2e/providers test binary once and runs it for every
#      provider side by side (that provider's top-level tests: its suite
#      and its grant tests), and
#      prints how long each provider's setup and suite took;
#   4. exits non-zero if any build or test failed, or if one of a
#      provider's top-level tests did not run and pass.
# Every server the tests start binds 127.0.0.1 only and is stopped by PID;
# the trap below kills, by recorded PID, any a crashed test binary left behind.
#
# Options (environment):
#   PKCE_DESK_PROVIDERS="hydra zitadel nodeoidc demo"  which suites to run
#   PKCE_DESK_GO_TEST_FLAGS="-race"      extra flags for building the test binary (default: -race when cgo works)
#   PKCE_DESK_KEEP_TMP=1                 keep the temp dir (binaries, logs)
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

e2e="$ROOT/e2e"
hydra_version="v2.3.0" # keep equal to HydraVersion in e2e/harness/hydra.go
hydra_bin="$CACHE_DIR/hydra-$hydra_version/hydra"
providers="${PKCE_DESK_PROVIDERS:-hydra zitadel nodeoidc demo}"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pkce-desk-providers.XXXXXX")"
piddir="$tmp/pids"
mkdir -p "$piddir"

# cleanup kills leftovers by the PIDs the harness recorded (each server runs
# in its own process group, so -PID reaches its children too).
cleanup() {
	local rc=$? f pid
	for f in "$piddir"/*; do
		[ -e "$f" ] || continue
		pid="$(basename "$f")"
		case "$pid" in '' | *[!0-9]*) continue ;; esac
		if kill -0 "$pid" 2>/dev/null; then
			warn "killing leftover server pid $pid"
			kill -TERM -- "-$pid" 2>/dev/null || true
			sleep 1
			kill -KILL -- "-$pid" 2>/dev/null || true
		fi
	done
	if [ "${PKCE_DESK_KEEP_TMP:-0}" = 1 ]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

summary=()
failed=0

# 1. Hydra, cached by version.
if [[ " $providers " == *" hydra "* ]]; then
	t0="$(now)"
	if [ -x "$hydra_bin" ]; then
		summary+=("hydra build: cached ($hydra_bin)")
	else
		log "building Ory Hydra $hydra_version (once; ~4 min cold) into $hydra_bin"
		mkdir -p "$(dirname "$hydra_bin")"
		(cd "$e2e/tools/hydra" &&
			go build -tags sqlite,sqlite_omit_load_extension -o "$hydra_bin.tmp.$$" github.com/ory/hydra/v2)
		mv -f "$hydra_bin.tmp.$$" "$hydra_bin"
		summary+=("hydra build: $(elapsed "$t0")s (cold)")
	fi
fi

# 1b. node-oidc-provider, cached by lockfile hash.
nodeoidc_modules=""
if [[ " $providers " == *" nodeoidc "* ]]; then
	t0="$(now)"
	nodeoidc_modules="$(ensure_nodeoidc)"
	summary+=("node-oidc-provider install: $(elapsed "$t0")s ($nodeoidc_modules)")
fi

# 2. The zitadel example OP wrapper and the plain pkce-desk binary (Go's
#    build cache makes these ~1 s warm).
t0="$(now)"
(cd "$e2e/tools/zitadelop" && go build -o "$tmp/zitadelop" .)
summary+=("zitadelop build: $(elapsed "$t0")s")
t0="$(now)"
plain="$BIN_DIR/pkce-desk-cli"
mkdir -p "$BIN_DIR"
if go_build_cli "$plain"; then
	summary+=("pkce-desk build: $(elapsed "$t0")s")
else
	# Keep going: the engine-level suites still tell something; the CLI
	# subtests then fail on the missing binary (never on an older one).
	rm -f "$plain"
	summary+=("pkce-desk build: FAILED (the CLI subtests fail with it)")
	failed=1
fi

# 3. The suites, one process per provider so each is timed on its own.
flags="${PKCE_DESK_GO_TEST_FLAGS-}"
if [ -z "${PKCE_DESK_GO_TEST_FLAGS+x}" ] && [ "$(go env CGO_ENABLED)" = 1 ] && command -v gcc >/dev/null; then
	flags="-race"
fi
export PKCE_DESK_HYDRA_BIN="$hydra_bin"
export PKCE_DESK_ZITADELOP_BIN="$tmp/zitadelop"
export PKCE_DESK_PLAIN_BIN="$plain"
export PKCE_DESK_REQUIRE_PROVIDERS=1
export PKCE_DESK_PIDDIR="$piddir"
export PKCE_DESK_NODEOIDC_MODULES="$nodeoidc_modules"

# Each provider's top-level tests: its suite (the loopback code flow), then
# the grants of issue 14 it accepts (device_test.go, clientcredentials_test.go,
# tokenexchange_test.go). The test binary is built once; the providers then
# run side by side, each in its own process with its own log (they share
# nothing: every server listens on a port of its own, and most of a suite's
# time is spent waiting out device-grant poll intervals, not on the CPU).
tests_for() {
	case "$1" in
	hydra) echo "TestHydra TestClientCredentialsHydra" ;;
	zitadel) echo "TestZitadel TestDeviceZitadel TestClientCredentialsZitadel TestTokenExchangeZitadel" ;;
	nodeoidc) echo "TestNodeOIDC TestDeviceNodeOIDC TestClientCredentialsNodeOIDC" ;;
	demo) echo "TestDeviceDemo TestClientCredentialsDemo TestTokenExchangeDemo" ;;
	*) die "unknown provider '$1' in PKCE_DESK_PROVIDERS (use hydra, zitadel, nodeoidc, demo)" ;;
	esac
}
for p in $providers; do tests_for "$p" >/dev/null; done
t0="$(now)"
# shellcheck disable=SC2086 # flags is a word list on purpose
(cd "$e2e" && go test $flags -c -o "$tmp/providers.test" ./providers)
summary+=("test binary build: $(elapsed "$t0")s")
declare -A pids starts
for p in $providers; do
	run="^($(tests_for "$p" | tr ' ' '|'))\$"
	starts[$p]="$(now)"
	(
		cd "$e2e/providers" || exit 1
		"$tmp/providers.test" -test.count=1 -test.timeout 10m -test.v -test.run "$run"
		rc=$?
		now >"$tmp/$p.end"
		exit "$rc"
	) >"$tmp/$p.log" 2>&1 &
	pids[$p]=$!
done
for p in $providers; do
	out="$tmp/$p.log"
	set +e
	wait "${pids[$p]}"
	rc=$?
	set -e
	total="$(awk -v s="${starts[$p]}" -v e="$(cat "$tmp/$p.end" 2>/dev/null || now)" 'BEGIN { printf "%.1f", e - s }')"
	echo "== $p =="
	cat "$out"
	setup="$(awk -v p="$p" '$1 == "PROVIDER-TIMING" && $2 == p && $3 == "setup" { print $4 }' "$out" | tail -1)"
	suite="$(awk -v p="$p" '$1 == "PROVIDER-TIMING" && $2 == p && $3 == "suite" { print $4 }' "$out" | tail -1)"
	status=ok
	if [ "$rc" -ne 0 ]; then
		status=FAIL
		failed=1
	else
		# A test binary passes when -test.run matches nothing: a renamed
		# test must not turn (part of) this stage into a silent no-op.
		for test in $(tests_for "$p"); do
			if ! grep -q "^--- PASS: $test " "$out"; then
				status="FAIL ($test did not run)"
				failed=1
			fi
		done
	fi
	summary+=("$p: $status — provider setup ${setup:-?}, suite ${suite:-?}, ran ${total}s (side by side with the others)")
done

echo
echo "== real-provider tests =="
for line in "${summary[@]}"; do echo "  $line"; done
[ "$failed" -eq 0 ] || exit 1
