#!/bin/sh
# Test-only: screenshot the mock UI with headless Chromium.
#   mock/shot.sh out.png 'status=signed_in&tab=tokens' [1280,800] [port]
set -eu
out=$1; query=${2:-}; size=${3:-1280,800}; port=${4:-34200}
dir=$(mktemp -d)
timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$dir" \
  --hide-scrollbars --window-size="$size" --virtual-time-budget=4000 --screenshot="$out" \
  "http://127.0.0.1:$port/?$query" >/dev/null 2>&1 || true
rm -rf "$dir"
ls -la "$out"
