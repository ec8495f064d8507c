#!/usr/bin/env bash
# dist.sh — `make dist`: every release artifact in build/dist/, named with the
# version, plus SHA256SUMS; prints their sizes.
#   Linux   (scripts/dist-linux.sh):   pkce-desk_DEBVERSION_amd64.deb and the
#           portable pkce-desk-VERSION-linux-amd64.tar.gz
#   Windows (scripts/dist-windows.sh): the NSIS installer
#           pkce-desk-VERSION-windows-amd64-setup.exe and the portable
#           pkce-desk-VERSION-windows-amd64.zip (window exe + console .com)
# macOS needs cgo with Apple's SDK: build it on a Mac (README, "macOS"); the
# release workflow (.github/workflows/release.yml) does.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_go
ensure_apt "${APT_BUILD[@]}" "${APT_DIST[@]}"
build_frontend
out="$ROOT/build/dist"
rm -rf "$out"
mkdir -p "$out"
for part in linux windows; do
	require_file "scripts/dist-$part.sh" "make dist runs it (the $part artifacts)"
	log "dist: $part artifacts"
	bash "scripts/dist-$part.sh" "$out"
done
mapfile -t files < <(find "$out" -maxdepth 1 -type f -printf '%f\n' | sort)
sums="$(cd "$out" && sha256sum "${files[@]}")"
printf '%s\n' "$sums" >"$out/SHA256SUMS"
[ "${#files[@]}" -gt 0 ] || die "make dist produced no artifact"
for f in "${files[@]}"; do
	printf '%-64s %s\n' "build/dist/$f" "$(size_of "$out/$f")"
done
