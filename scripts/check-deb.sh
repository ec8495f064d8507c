#!/usr/bin/env bash
# check-deb.sh DISTDIR — check the Linux artifacts scripts/dist-linux.sh made
# in DISTDIR, the way a user meets them (the dist stage of scripts/test.sh):
#   1. the DEBVER rule (dist-linux.sh --deb-version) on a table of versions;
#   2. the .deb: its fields and exact file list (owners root, modes);
#      lintian (errors fail, everything else is printed, overrides shown);
#      desktop-file-validate and appstreamcli validate on the packaged files;
#   3. the tar.gz: its exact file list under one top folder, owners 0, and
#      that the unpacked command runs and finds the window beside it;
#   4. `apt-get install ./pkce-desk_….deb`; the files are where they should
#      be and `dpkg -L` lists exactly the .deb's files; the installed
#      /usr/bin/pkce-desk reports the version and finds
#      /usr/lib/pkce-desk/pkce-desk-gui; the validators again on the
#      installed files;
#   5. the installed app under Xvfb (scripts/smoke.sh /usr/bin/pkce-desk):
#      painted, screenshot build/artifacts/smoke-deb.png, the window's
#      WM_CLASS is the desktop file's StartupWMClass, single instance, clean
#      exit;
#   6. the installed command's `login` through real Chromium against its own
#      `demo-provider` (e2e/chromium TestCLILoginThroughChromium);
#   7. `apt-get remove pkce-desk` leaves no file of the package (checked
#      against the dpkg -L list taken before), and no folder only it owned.
#      What users keep under ~/.config/pkce-desk is theirs and stays; the
#      steps above run the app with a temporary HOME, so they leave none.
# The package is removed on every exit path once installed. A machine that
# already has pkce-desk installed (or its files in /usr) is refused, not
# clobbered. Needs root, or sudo (as_root).
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 DISTDIR (the folder make dist wrote, e.g. build/dist)"
dist="$(cd "$1" && pwd)"
APP_ID=io.github.pkcedesk.PKCEDesk
PKG=pkce-desk
t_start="$(now)"

# one GLOB prints the one file in $dist matching GLOB.
one() {
	local m=()
	mapfile -t m < <(find "$dist" -maxdepth 1 -type f -name "$1" | sort)
	[ "${#m[@]}" -eq 1 ] || die "want one $1 in $dist, found ${#m[@]}: ${m[*]:-none} (run make dist)"
	printf '%s\n' "${m[0]}"
}

debver="$(bash scripts/dist-linux.sh --deb-version)"
deb="$(one "${PKG}_*_amd64.deb")"
tgz="$(one "$PKG-*-linux-amd64.tar.gz")"
[ "$(basename "$deb")" = "${PKG}_${debver}_amd64.deb" ] ||
	die "$(basename "$deb") is not named for this build's version $VERSION (want ${PKG}_${debver}_amd64.deb)"
[ "$(basename "$tgz")" = "$PKG-$VERSION-linux-amd64.tar.gz" ] ||
	die "$(basename "$tgz") is not named for this build's version (want $PKG-$VERSION-linux-amd64.tar.gz)"
for f in "$deb" "$tgz"; do
	echo "$(basename "$f"): $(size_of "$f")"
done

# Refuse before touching anything when pkce-desk is already on the machine:
# installing over it and removing it at the end would take the user's copy.
status="$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null || true)"
if [ -n "$status" ] && [ "$status" != not-installed ]; then
	die "$PKG is already installed on this machine (dpkg status: $status); this check installs and removes its own copy, so remove yours first (apt-get remove $PKG) or run the check elsewhere"
fi
for p in /usr/bin/pkce-desk /usr/lib/pkce-desk; do
	[ ! -e "$p" ] || die "$p exists but no package owns it: a pkce-desk installed by hand? Move it away first; this check installs and removes the package"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/pkce-desk-check-deb.XXXXXX")"
installed=0
cleanup() {
	local rc=$?
	if [ "$installed" -eq 1 ]; then
		warn "removing $PKG, which this check installed"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$PKG" </dev/null >/dev/null 2>&1 ||
			as_root dpkg --remove "$PKG" >/dev/null 2>&1 || warn "could not remove $PKG: remove it by hand"
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. the version rule -------------------------------------------------------
log "DEBVER rule"
while read -r v want; do
	got="$(bash scripts/dist-linux.sh --deb-version "$v")" || die "--deb-version $v failed"
	[ "$got" = "$want" ] || die "DEBVER of $v is $got, want $want"
done <<'EOF'
v1.2.3 1.2.3
1.2.3 1.2.3
v10.0.1 10.0.1
v1.2.0-rc.1 1.2.0~rc.1
v1.2.0-beta-2 1.2.0~beta.2
v1.2.3-4-gabc1234 1.2.3+git4.abc1234
v1.2.3-4-gabc1234-dirty 1.2.3+git4.abc1234+dirty
v1.2.0-rc1-2-gabc1234 1.2.0~rc1+git2.abc1234
4ebb887 0.0.0~git4ebb887
4ebb887-dirty 0.0.0~git4ebb887+dirty
0.1.0-dev 0.1.0~dev
EOF
for bad in "" "release" "v1.2.3 x" "vx.1"; do
	if bash scripts/dist-linux.sh --deb-version "$bad" >/dev/null 2>&1; then
		die "--deb-version accepted '$bad'"
	fi
done
# apt must order them as git does.
while read -r a b; do
	dpkg --compare-versions "$a" lt "$b" || die "DEBVER order: want $a < $b"
done <<'EOF'
0.0.0~git4ebb887 0.0.1
1.2.0~rc.1 1.2.0
1.2.0~rc1+git2.abc1234 1.2.0
1.2.3 1.2.3+git4.abc1234
1.2.3+git4.abc1234 1.2.3+git4.abc1234+dirty
1.2.3+git4.abc1234+dirty 1.2.4
EOF
echo "DEBVER of $VERSION is $debver; the rule holds on the table"

# --- 2. the .deb ---------------------------------------------------------------
log "the .deb: fields and files"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = "$PKG" ] || die "Package is $(field Package)"
[ "$(field Version)" = "$debver" ] || die "Version is $(field Version), want $debver"
[ "$(field Architecture)" = amd64 ] || die "Architecture is $(field Architecture)"
depends="$(field Depends)"
for need in libc6 libgtk-3-0 libwebkit2gtk-4.1-0; do
	[[ ", $depends," == *", $need "* || ", $depends," == *", $need,"* ]] || die "Depends lacks $need: $depends"
done
[[ "$(field Recommends)" == *xdg-utils* ]] || die "Recommends lacks xdg-utils (the app opens the system browser with xdg-open)"
[[ "$(field Recommends)" == *gnome-keyring* ]] || die "Recommends lacks a Secret Service (gnome-keyring | …)"
echo "Depends: $depends"
echo "Recommends: $(field Recommends)"

want_files() {
	local n
	printf '%s\n' ./usr/bin/pkce-desk ./usr/lib/pkce-desk/pkce-desk-gui \
		"./usr/share/applications/$APP_ID.desktop" "./usr/share/metainfo/$APP_ID.metainfo.xml" \
		./usr/share/man/man1/pkce-desk.1.gz ./usr/share/doc/pkce-desk/copyright \
		./usr/share/doc/pkce-desk/changelog.gz ./usr/share/doc/pkce-desk/third-party-licenses.gz \
		./usr/share/lintian/overrides/pkce-desk
	for n in 16 32 48 64 128 256 512; do
		printf '%s\n' "./usr/share/icons/hicolor/${n}x$n/apps/$APP_ID.png"
	done
}
dpkg-deb -c "$deb" >"$work/deb-contents"
diff <(want_files | sort) <(awk '$1 !~ /^d/ { print $6 }' "$work/deb-contents" | sort) >"$work/diff" ||
	die "the .deb's files differ from the list (< missing, > unexpected):"$'\n'"$(cat "$work/diff")"
awk '$2 != "root/root" { bad = 1; print "not root/root: " $0 } END { exit bad }' "$work/deb-contents" >&2 ||
	die "the .deb has files not owned by root"
awk '$1 !~ /^d/ && $6 != "./usr/bin/pkce-desk" && $6 != "./usr/lib/pkce-desk/pkce-desk-gui" && $1 != "-rw-r--r--" { bad = 1; print } 
	($6 == "./usr/bin/pkce-desk" || $6 == "./usr/lib/pkce-desk/pkce-desk-gui") && $1 != "-rwxr-xr-x" { bad = 1; print }
	$1 ~ /^d/ && $1 != "drwxr-xr-x" { bad = 1; print } END { exit bad }' "$work/deb-contents" >&2 ||
	die "the .deb has files with unexpected modes (want 0755 folders and programs, 0644 the rest)"
mkdir -p "$work/x"
dpkg-deb -x "$deb" "$work/x"
file -b "$work/x/usr/bin/pkce-desk" | grep -q 'statically linked' || die "/usr/bin/pkce-desk is not static: $(file -b "$work/x/usr/bin/pkce-desk")"
file -b "$work/x/usr/lib/pkce-desk/pkce-desk-gui" | grep -q 'pie executable' ||
	die "pkce-desk-gui is not a PIE: $(file -b "$work/x/usr/lib/pkce-desk/pkce-desk-gui")"
grep -qx 'Exec=pkce-desk' "$work/x/usr/share/applications/$APP_ID.desktop" || die "the desktop file does not run pkce-desk"
grep -qx "Icon=$APP_ID" "$work/x/usr/share/applications/$APP_ID.desktop" || die "the desktop file's Icon is not $APP_ID"
wm_class="$(sed -n 's/^StartupWMClass=//p' "$work/x/usr/share/applications/$APP_ID.desktop")"
[ -n "$wm_class" ] || die "the desktop file has no StartupWMClass"
echo "files: $(want_files | wc -l), all root/root, modes 0755/0644"

log "lintian"
# Errors fail the check (lintian's status 2 for --fail-on error, 1 when it
# could not run); warnings and info tags are printed. The overrides the
# package ships are listed after; their reasons are in
# build/linux/pkce-desk.lintian-overrides. (--show-overrides would print them
# too, but makes lintian count the overridden error as a failure.)
lintian_rc=0
lint_out="$(lintian --fail-on error --display-info "$deb" 2>&1)" || lintian_rc=$?
printf '%s\n' "$lint_out" | grep -v '^running with root privileges is not recommended!$' || true
case "$lintian_rc" in
0) ;;
2) die "lintian found errors in $(basename "$deb") (E: lines above)" ;;
*) die "lintian did not run to the end (status $lintian_rc)" ;;
esac
grep -v -e '^#' -e '^$' "$work/x/usr/share/lintian/overrides/$PKG" | sed 's/^/overridden: /'
echo "lintian: no errors"

log "desktop-file-validate, appstreamcli validate (packaged files)"
validate() {
	local root="$1" out
	out="$(desktop-file-validate "$root/usr/share/applications/$APP_ID.desktop" 2>&1)" ||
		die "desktop-file-validate: $out"
	[ -z "$out" ] || printf '%s\n' "$out"
	echo "desktop-file-validate $APP_ID.desktop: ok"
	appstreamcli validate --no-net "$root/usr/share/metainfo/$APP_ID.metainfo.xml" ||
		die "appstreamcli validate failed on $APP_ID.metainfo.xml"
	out="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
		"$root/usr/share/man/man1/pkce-desk.1.gz" 2>&1 >/dev/null)" || die "man could not format pkce-desk.1.gz: $out"
	[ -z "$out" ] || die "the man page has roff warnings: $out"
	echo "man --warnings pkce-desk.1.gz: ok"
}
validate "$work/x"

# --- 3. the tar.gz -------------------------------------------------------------
log "the tar.gz"
top="$PKG-$VERSION-linux-amd64"
tar -tvzf "$tgz" >"$work/tar-contents"
diff <(printf '%s\n' "$top/" "$top/pkce-desk" "$top/pkce-desk-gui" "$top/$APP_ID.png" "$top/$APP_ID.desktop" \
	"$top/README.md" "$top/LICENSE" "$top/THIRD-PARTY-LICENSES" | sort) \
	<(awk '{ print $6 }' "$work/tar-contents" | sort) >"$work/diff" ||
	die "the tar.gz's files differ from the list (< missing, > unexpected):"$'\n'"$(cat "$work/diff")"
awk '$2 != "0/0" { bad = 1; print } END { exit bad }' <(tar --numeric-owner -tvzf "$tgz") >&2 ||
	die "the tar.gz has files not owned by 0/0"
tar -C "$work" -xzf "$tgz"
got="$(env -u PKCE_DESK_GUI "$work/$top/pkce-desk" version)"
[ "$got" = "pkce-desk $VERSION" ] || die "the unpacked pkce-desk version says '$got', want 'pkce-desk $VERSION'"
# With no display the command still finds the window binary beside it and
# execs it, and GTK then fails for want of a display: that message, not
# "not installed", shows it was found.
read -r -a tmp_env <<<"$(isolated_env "$work/env")"
gui_out="$(env -u DISPLAY -u WAYLAND_DISPLAY -u PKCE_DESK_GUI "${tmp_env[@]}" timeout 20 "$work/$top/pkce-desk" 2>&1 || true)"
[[ $gui_out != *"is not installed"* ]] || die "the unpacked pkce-desk did not find pkce-desk-gui beside it: $gui_out"
for b in pkce-desk:usr/bin/pkce-desk pkce-desk-gui:usr/lib/pkce-desk/pkce-desk-gui; do
	cmp -s "$work/$top/${b%%:*}" "$work/x/${b#*:}" || die "the tar.gz and the .deb hold different ${b%%:*} binaries"
done
echo "tar.gz: $(wc -l <"$work/tar-contents") entries under $top/, owners 0/0, same binaries as the .deb"

# --- 4. install ----------------------------------------------------------------
log "apt-get install ./$(basename "$deb")"
# --no-install-recommends: the recommended packages are a desktop's
# (xdg-utils, a session bus, a keychain) and this machine's are the tests'.
installed=1
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" </dev/null >"$work/apt.log" 2>&1 || {
	cat "$work/apt.log" >&2
	die "apt-get install failed"
}
[ "$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$PKG")" = "installed $debver" ] ||
	die "dpkg says: $(dpkg-query -W -f='${db:Status-Status} ${Version}' "$PKG")"
# (dpkg -L starts with "/.", the root itself.)
dpkg -L "$PKG" | grep -vx '/\.' | sort >"$work/dpkg-L"
# dpkg -L lists the files and the folders leading to them.
diff <(want_files | sed 's|^\.||' | sort) <(while read -r p; do [ -d "$p" ] || echo "$p"; done <"$work/dpkg-L" | sort) >"$work/diff" ||
	die "dpkg -L $PKG differs from the .deb's files:"$'\n'"$(cat "$work/diff")"
while read -r p; do
	[ -e "$p" ] || die "$p is in dpkg -L but not on disk"
done <"$work/dpkg-L"
for p in /usr/bin/pkce-desk /usr/lib/pkce-desk/pkce-desk-gui; do
	[ -x "$p" ] || die "the installed $p is not executable"
done
got="$(/usr/bin/pkce-desk version)"
[ "$got" = "pkce-desk $VERSION" ] || die "/usr/bin/pkce-desk version says '$got', want 'pkce-desk $VERSION'"
if command -v man >/dev/null 2>&1; then
	[ "$(man -w pkce-desk 2>/dev/null)" = /usr/share/man/man1/pkce-desk.1.gz ] || die "man -w pkce-desk does not find the installed page"
fi
validate ""
echo "installed: $(grep -c . "$work/dpkg-L") paths in dpkg -L; /usr/bin/pkce-desk version: $got"

# --- 5. the installed app under Xvfb -------------------------------------------
log "smoke test of the installed /usr/bin/pkce-desk"
PKCE_DESK_SMOKE_SHOT=smoke-deb.png PKCE_DESK_SMOKE_WM_CLASS="$wm_class" bash scripts/smoke.sh /usr/bin/pkce-desk
echo "screenshot: build/artifacts/smoke-deb.png"

# --- 6. the installed command signs in through Chromium -----------------------
log "pkce-desk login (installed) through Chromium against pkce-desk demo-provider"
test_name=TestCLILoginThroughChromium
(cd e2e && PKCE_DESK_PLAIN_BIN=/usr/bin/pkce-desk go test -count=1 -timeout 5m -v -run "^${test_name}\$" ./chromium/) >"$work/login.log" 2>&1 || {
	tail -n 40 "$work/login.log" >&2
	die "$test_name failed with the installed /usr/bin/pkce-desk"
}
# A -run pattern that matches no test passes with "no tests to run": the
# test must have run and passed.
grep -q -- "^--- PASS: $test_name " "$work/login.log" || {
	cat "$work/login.log" >&2
	die "$test_name did not run (renamed?): the installed CLI's sign-in went untested"
}
grep -- "^--- PASS: $test_name " "$work/login.log"

# --- 7. remove -----------------------------------------------------------------
log "apt-get remove $PKG"
as_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "$PKG" </dev/null >"$work/apt.log" 2>&1 || {
	cat "$work/apt.log" >&2
	die "apt-get remove failed"
}
installed=0
status="$(dpkg-query -W -f='${db:Status-Status}' "$PKG" 2>/dev/null || true)"
[ -z "$status" ] || [ "$status" = not-installed ] || die "after apt-get remove, dpkg status is '$status' (want not-installed: the package has no conffiles)"
left=()
while read -r p; do
	if [ -d "$p" ] && [ ! -L "$p" ]; then
		# A folder may stay when another package owns it (/usr/bin, the
		# hicolor tree, …); one only pkce-desk had must be gone.
		dpkg-query -S "$p" >/dev/null 2>&1 || left+=("$p/ (no package owns it)")
	elif [ -e "$p" ] || [ -L "$p" ]; then
		left+=("$p")
	fi
done <"$work/dpkg-L"
[ "${#left[@]}" -eq 0 ] || die "apt-get remove left $(printf '%s ' "${left[@]}")"
echo "removed: none of the $(grep -c . "$work/dpkg-L") paths is left; the user's ~/.config/pkce-desk (none here: the checks ran with a temporary HOME) would stay"
echo "check-deb ok in $(elapsed "$t_start")s"
