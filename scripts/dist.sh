#!/usr/bin/env bash
# dist.sh — `make dist`: release binaries for linux/amd64 and windows/amd64 in
# build/dist/, named with the version, plus SHA256SUMS; prints their sizes.
# (macOS needs cgo with Apple's SDK: build it on a Mac with `wails build`.)
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_go
ensure_apt "${APT_BUILD[@]}"
build_frontend
out="$ROOT/build/dist"
rm -rf "$out"
mkdir -p "$out"
linux="pkce-desk-$VERSION-linux-amd64"
windows="pkce-desk-$VERSION-windows-amd64.exe"
log "building $linux"
go_build_prod "$out/$linux"
log "building $windows"
go_build_windows "$out/$windows"
(cd "$out" && sha256sum "$linux" "$windows" >SHA256SUMS)
for f in "$linux" "$windows"; do
	printf '%-56s %s\n' "build/dist/$f" "$(size_of "$out/$f")"
done
