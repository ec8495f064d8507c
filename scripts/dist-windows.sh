#!/usr/bin/env bash
# dist-windows.sh OUTDIR — the Windows release artifacts, built on Linux:
#   OUTDIR/pkce-desk-VERSION-windows-amd64-setup.exe  the NSIS installer
#       (build/windows/installer/pkce-desk.nsi: per-user or per-machine,
#       Start-menu shortcut, optional PATH entry, WebView2 Runtime check)
#   OUTDIR/pkce-desk-VERSION-windows-amd64.zip        portable: pkce-desk.exe
#       (window), pkce-desk.com (command), README.md, LICENSE
# Both executables come from go_build_windows (scripts/lib.sh), with their
# icon, version information and manifest. make dist (scripts/dist.sh) runs
# this and sums what it leaves; e2e/packaging/windows_test.go checks it.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
ensure_go
ensure_apt nsis zip
ensure_frontend_dist

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Reproducible archives: file times and the installer's timestamps come from
# the commit, not the clock.
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH

log "windows: building pkce-desk.exe and pkce-desk.com $VERSION"
go_build_windows "$tmp/bin"

# The facts the installer shares with the executables' resources, derived by
# the same tool (the four-number version, wails.json's names).
build_winres "$tmp/winres"
declare -A facts=()
while IFS='=' read -r key value; do
	facts[$key]="$value"
done < <("$tmp/winres" -print -version "$VERSION" -wails "$ROOT/wails.json")
for key in fixed product company copyright; do
	[ -n "${facts[$key]:-}" ] || die "e2e/tools/winres -print gave no $key"
done

# The WebView2 Evergreen bootstrapper ships inside the Wails module (Wails
# embeds it for its own runtime check): take it from the module cache at
# build time, never from the repository. Without it the installer still
# builds and points people at Microsoft's download page instead.
nsis_bootstrapper=()
# (go_build_windows has just built with go.mod's Wails: it is downloaded.)
wails_dir="$(go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2 2>/dev/null || true)"
bootstrapper="$wails_dir/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe"
if [ -n "$wails_dir" ] && [ -f "$bootstrapper" ] && [ "$(head -c 2 "$bootstrapper")" = MZ ]; then
	nsis_bootstrapper=("-DWEBVIEW2_BOOTSTRAPPER=$bootstrapper")
	log "windows: embedding the WebView2 bootstrapper from ${bootstrapper#"$(go env GOMODCACHE)"/}"
else
	warn "no MicrosoftEdgeWebview2Setup.exe in the Wails module ($wails_dir): the installer will only link to the WebView2 download"
fi

setup="$out/pkce-desk-$VERSION-windows-amd64-setup.exe"
log "windows: makensis → ${setup#"$ROOT"/}"
# -WX: a warning fails the build. -V3 keeps the summary (sizes, sections).
if ! makensis -INPUTCHARSET UTF8 -WX -V3 \
	"-DVERSION=$VERSION" "-DVERSION4=${facts[fixed]}" \
	"-DEXE=$tmp/bin/pkce-desk.exe" "-DCOM=$tmp/bin/pkce-desk.com" \
	"-DLICENSE=$ROOT/LICENSE" "-DICON=$ROOT/build/windows/icon.ico" \
	"-DCOMPANY=${facts[company]}" "-DCOPYRIGHT=${facts[copyright]}" \
	"${nsis_bootstrapper[@]}" "-DOUTFILE=$setup" \
	"$ROOT/build/windows/installer/pkce-desk.nsi" >"$tmp/makensis.log" 2>&1; then
	cat "$tmp/makensis.log" >&2
	die "makensis failed on build/windows/installer/pkce-desk.nsi"
fi
sed -n '/^Output:/,$p' "$tmp/makensis.log" | grep -E '^(Output|Install|Uninstall|Total size)' >&2 || true

zipfile="$out/pkce-desk-$VERSION-windows-amd64.zip"
log "windows: portable ${zipfile#"$ROOT"/}"
stage="$tmp/zip"
mkdir -p "$stage"
cp "$tmp/bin/pkce-desk.exe" "$tmp/bin/pkce-desk.com" "$stage/"
cp "$ROOT/README.md" "$ROOT/LICENSE" "$stage/"
touch -d "@$SOURCE_DATE_EPOCH" "$stage"/*
rm -f "$zipfile"
(cd "$stage" && TZ=UTC zip -q -X -9 "$zipfile" pkce-desk.exe pkce-desk.com README.md LICENSE)
