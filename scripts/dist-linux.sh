#!/usr/bin/env bash
# dist-linux.sh OUTDIR — the Linux release artifacts, written into OUTDIR:
#   pkce-desk_DEBVER_amd64.deb           the Debian/Ubuntu package
#   pkce-desk-VERSION-linux-amd64.tar.gz the portable archive
# dist-linux.sh --deb-version [VERSION] prints the DEBVER of VERSION (default
# the build's) and exits: scripts/check-deb.sh tests the rule with it.
#
# The package installs
#   /usr/bin/pkce-desk                  the command (pure Go, static)
#   /usr/lib/pkce-desk/pkce-desk-gui    the window (cgo, GTK 3 + WebKitGTK 4.1),
#                                       which the command finds in ../lib/pkce-desk
#   /usr/share/applications/$APP_ID.desktop
#   /usr/share/icons/hicolor/NxN/apps/$APP_ID.png (16 … 512, from build/appicon.png)
#   /usr/share/metainfo/$APP_ID.metainfo.xml      (AppStream)
#   /usr/share/man/man1/pkce-desk.1.gz
#   /usr/share/doc/pkce-desk/{copyright,changelog.gz,third-party-licenses.gz}
#   /usr/share/lintian/overrides/pkce-desk
# from the files in build/linux/. No maintainer scripts: dpkg's triggers
# (desktop-file-utils, hicolor-icon-theme, man-db) refresh the caches.
#
# DEBVER, the Debian version, comes from VERSION (git describe --tags
# --always --dirty, or $PKCE_DESK_VERSION) by these rules, so that apt orders
# builds as git does:
#   v1.2.3 (or 1.2.3)       -> 1.2.3             a release
#   v1.2.0-rc.1             -> 1.2.0~rc.1        pre-release: "~" sorts before 1.2.0;
#                                                its "-" become "."
#   v1.2.3-4-gabc1234       -> 1.2.3+git4.abc1234 4 commits after v1.2.3: after
#                                                1.2.3, before 1.2.4
#   abc1234 (no tag at all) -> 0.0.0~gitabc1234  before any release
#   …-dirty                 -> …+dirty           uncommitted changes
# Anything else fails. The version has no Debian revision: the project builds
# its own package from its own tree, which Debian calls a native package, so
# its changelog is /usr/share/doc/pkce-desk/changelog.gz (lintian wants that
# name, not changelog.Debian.gz, for a version without a revision).
#
# Both artifacts are reproducible for a given commit and toolchain: file
# times are the commit's (SOURCE_DATE_EPOCH), owners root, names sorted.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APP_ID=io.github.pkcedesk.PKCEDesk
HOMEPAGE="${PKCE_DESK_HOMEPAGE:-https://github.com/pkcedesk/pkce-desk}"
MAINTAINER="${PKCE_DESK_MAINTAINER:-PKCE Desk contributors <pkcedesk@users.noreply.github.com>}"
ICON_SIZES=(16 32 48 64 128 256 512)

# deb_version VERSION prints VERSION's Debian form by the rules above.
deb_version() {
	local v="$1" suffix="" out pre
	if [[ $v == *-dirty ]]; then
		suffix="+dirty"
		v="${v%-dirty}"
	fi
	if [[ $v =~ ^[0-9a-f]{7,40}$ ]]; then
		out="0.0.0~git$v"
	elif [[ $v =~ ^v?([0-9]+(\.[0-9]+)*)(-([0-9A-Za-z.+-]+))?-([0-9]+)-g([0-9a-f]{4,40})$ ]]; then
		pre="${BASH_REMATCH[4]}"
		out="${BASH_REMATCH[1]}${pre:+~${pre//-/.}}+git${BASH_REMATCH[5]}.${BASH_REMATCH[6]}"
	elif [[ $v =~ ^v?([0-9]+(\.[0-9]+)*)(-([0-9A-Za-z.+-]+))?$ ]]; then
		pre="${BASH_REMATCH[4]}"
		out="${BASH_REMATCH[1]}${pre:+~${pre//-/.}}"
	else
		die "cannot make a Debian version of '$1': want vX.Y.Z[-pre][-N-gHASH][-dirty] or a commit hash (set PKCE_DESK_VERSION)"
	fi
	out+="$suffix"
	dpkg --validate-version -- "$out" >/dev/null 2>&1 || die "'$out' (from '$1') is not a valid Debian version"
	printf '%s\n' "$out"
}

if [ "${1:-}" = --deb-version ]; then
	deb_version "${2-$VERSION}"
	exit 0
fi
[ $# -eq 1 ] || die "usage: $0 OUTDIR | $0 --deb-version [VERSION]"
mkdir -p "$1"
out="$(cd "$1" && pwd)"

DEBVER="$(deb_version "$VERSION")"
for tool in dpkg-deb dpkg-shlibdeps dpkg-buildflags objcopy convert gzip; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: install the dist packages (${APT_DIST[*]}, imagemagick)"
done

# File times: the commit's, so rebuilding a commit gives the same bytes.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
fi
export SOURCE_DATE_EPOCH
date_iso="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)"
date_rfc="$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" -R)"
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"

work="$(mktemp -d "${TMPDIR:-/tmp}/pkce-desk-dist-linux.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- binaries -----------------------------------------------------------------
# The command is go_build_cli's static binary. The window is go_build_gui's,
# built with Debian's hardening flags (dpkg-buildflags: stack protector,
# fortify, RELRO, bind-now) for its C parts and as a PIE, so lintian finds a
# hardened ELF. The flags change the build cache key, not the program.
ensure_frontend_dist
mkdir -p "$work/bin"
t0="$(now)"
log "building pkce-desk and pkce-desk-gui $VERSION (hardened) for the Linux artifacts"
go_build_cli "$work/bin/pkce-desk" &
cli_pid=$!
gui_rc=0
(
	export DEB_BUILD_MAINT_OPTIONS=hardening=+all
	CGO_CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)"
	CGO_CFLAGS="$(dpkg-buildflags --get CFLAGS)"
	CGO_CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS)"
	CGO_LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
	export CGO_CPPFLAGS CGO_CFLAGS CGO_CXXFLAGS CGO_LDFLAGS
	GOFLAGS="$GOFLAGS -buildmode=pie" go_build_gui "$work/bin/pkce-desk-gui"
) || gui_rc=$?
cli_rc=0
wait "$cli_pid" || cli_rc=$?
if [ "$gui_rc" -ne 0 ] || [ "$cli_rc" -ne 0 ]; then
	die "building the Linux binaries failed"
fi
# -s left the compilers' .comment notes in the window binary; dh_strip would
# remove them too (lintian: binary-has-unneeded-section).
objcopy --remove-section=.comment "$work/bin/pkce-desk-gui"
log "binaries built in $(elapsed "$t0")s"

# --- shared files -------------------------------------------------------------
# subst FILE applies the @…@ fields.
release_type=development
release_ref=main
release_url="$HOMEPAGE/commit/$commit"
release_notes="Development build $VERSION, not a release."
if [[ $VERSION =~ ^v?[0-9]+(\.[0-9]+)*(-[0-9A-Za-z.+-]+)?$ ]] && ! [[ $VERSION =~ -[0-9]+-g[0-9a-f]+$ ]]; then
	release_ref="$VERSION"
	release_url="$HOMEPAGE/releases/tag/$VERSION"
	release_notes="$(git tag -l --format='%(contents:subject)' "$VERSION" 2>/dev/null || true)"
	[ -n "$release_notes" ] || release_notes="PKCE Desk $VERSION."
	[[ $VERSION == *-* ]] || release_type=stable
fi
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
sed_escape() { sed -e 's/[\\|&]/\\&/g'; }
subst() {
	local notes
	notes="$(printf '%s' "$release_notes" | xml_escape | sed_escape)"
	sed -e "s|@HOMEPAGE@|$HOMEPAGE|g" \
		-e "s|@APPSTREAM_VERSION@|$DEBVER|g" \
		-e "s|@DATE@|$date_iso|g" \
		-e "s|@RELEASE_TYPE@|$release_type|g" \
		-e "s|@RELEASE_NOTES@|$notes|g" \
		-e "s|@RELEASE_URL@|$release_url|g" \
		-e "s|@SCREENSHOT_URL@|${HOMEPAGE/https:\/\/github.com/https://raw.githubusercontent.com}/$release_ref/docs/screenshot.png|g" \
		"$1"
}

# Icons from the 1024 px build/appicon.png; no timestamps in the PNGs.
mkdir -p "$work/icons"
for n in "${ICON_SIZES[@]}"; do
	convert build/appicon.png -filter Lanczos -resize "${n}x${n}" -strip \
		-define png:exclude-chunks=date,time "PNG32:$work/icons/$n.png"
done

# third_party_licenses BIN... prints the name, version and licence text of
# everything built into the binaries besides PKCE Desk itself: the Go
# standard library, each Go module (go version -m), and the Svelte runtime
# the UI bundle contains (svelte and the two packages its client runtime
# imports, clsx and esm-env; the rest of svelte's dependencies are its
# compiler's, which run at build time only).
third_party_licenses() {
	local modcache goroot path ver dir esc f found pkg
	modcache="$(go env GOMODCACHE)"
	goroot="$(go env GOROOT)"
	printf 'Third-party software in PKCE Desk %s\n\n' "$VERSION"
	printf '==== Go standard library %s ====\n\n' "$(go env GOVERSION)"
	cat "$goroot/LICENSE"
	while read -r path ver; do
		esc="$(printf '%s' "$path" | sed -e 's/[A-Z]/!\L&/g')"
		dir="$modcache/$esc@$ver"
		found=0
		for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/NOTICE*; do
			[ -f "$f" ] || continue
			printf '\n==== Go module %s %s (%s) ====\n\n' "$path" "$ver" "${f##*/}"
			cat "$f"
			found=1
		done
		[ "$found" -eq 1 ] || die "no licence file for Go module $path $ver in $dir"
	done < <(for b in "$@"; do go version -m "$b"; done |
		awk '$1 == "dep" { if (p) print p; p = $2 " " $3; next }
			$1 == "=>" { p = $2 " " $3; next }
			{ if (p) print p; p = "" }
			END { if (p) print p }' | sort -u)
	for pkg in svelte clsx esm-env; do
		dir="frontend/node_modules/$pkg"
		ver="$(node -p 'require(process.argv[1]).version' "$ROOT/$dir/package.json")"
		found=0
		for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/license*; do
			[ -f "$f" ] || continue
			printf '\n==== npm package %s %s (%s) ====\n\n' "$pkg" "$ver" "${f##*/}"
			cat "$f"
			found=1
		done
		[ "$found" -eq 1 ] || die "no licence file for npm package $pkg in $dir"
	done
}
ensure_npm_deps
third_party_licenses "$work/bin/pkce-desk" "$work/bin/pkce-desk-gui" >"$work/third-party-licenses"

# --- the .deb -----------------------------------------------------------------
root="$work/deb"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/pkce-desk" \
	"$root/usr/share/applications" "$root/usr/share/metainfo" "$root/usr/share/man/man1" \
	"$root/usr/share/doc/pkce-desk" "$root/usr/share/lintian/overrides"
install -m 0755 "$work/bin/pkce-desk" "$root/usr/bin/pkce-desk"
install -m 0755 "$work/bin/pkce-desk-gui" "$root/usr/lib/pkce-desk/pkce-desk-gui"
install -m 0644 "build/linux/$APP_ID.desktop" "$root/usr/share/applications/$APP_ID.desktop"
subst "build/linux/$APP_ID.metainfo.xml.in" >"$root/usr/share/metainfo/$APP_ID.metainfo.xml"
for n in "${ICON_SIZES[@]}"; do
	install -d "$root/usr/share/icons/hicolor/${n}x$n/apps"
	install -m 0644 "$work/icons/$n.png" "$root/usr/share/icons/hicolor/${n}x$n/apps/$APP_ID.png"
done
gzip -9n <build/linux/pkce-desk.1 >"$root/usr/share/man/man1/pkce-desk.1.gz"
subst build/linux/copyright >"$root/usr/share/doc/pkce-desk/copyright"
gzip -9n <"$work/third-party-licenses" >"$root/usr/share/doc/pkce-desk/third-party-licenses.gz"
install -m 0644 build/linux/pkce-desk.lintian-overrides "$root/usr/share/lintian/overrides/pkce-desk"
{
	printf 'pkce-desk (%s) unstable; urgency=medium\n\n' "$DEBVER"
	printf '  * %s\n' "$(printf '%s' "$release_notes" | tr '\n' ' ')"
	printf '    Built from commit %s; the changes are in the git history and\n' "${commit:0:12}"
	printf '    the release notes at %s/releases.\n\n' "$HOMEPAGE"
	printf ' -- %s  %s\n' "$MAINTAINER" "$date_rfc"
} | gzip -9n >"$root/usr/share/doc/pkce-desk/changelog.gz"

# Depends: what dpkg-shlibdeps finds the window links (libc6, libgtk-3-0,
# libwebkit2gtk-4.1-0, libglib2.0-0, libsoup-3.0-0, …, each with the
# minimum version its symbols need). It must name GTK 3 and WebKitGTK 4.1
# (checked below), so a change of toolkit cannot slip by unnoticed.
# Recommends:
#   xdg-utils        xdg-open is how the app opens the system browser for a
#                    sign-in (github.com/pkg/browser tries it first);
#   dbus-user-session | dbus-session-bus
#                    the single-instance lock and the keychain both talk over
#                    the D-Bus session bus;
#   gnome-keyring | libkf5wallet-bin | keepassxc
#                    a Secret Service (org.freedesktop.secrets) for "keep me
#                    signed in" and client secrets: the app speaks the D-Bus
#                    API itself (go-keyring, no libsecret), and without one it
#                    keeps secrets in memory only. GNOME and KDE desktops
#                    already have theirs; apt installs the first when none is.
# Suggests:
#   libsecret-tools  secret-tool, to look at or delete the entries it keeps.
mkdir -p "$work/shlibs/debian"
printf 'Source: pkce-desk\n\nPackage: pkce-desk\nArchitecture: amd64\n' >"$work/shlibs/debian/control"
shlibs="$(cd "$work/shlibs" && dpkg-shlibdeps -O "$root/usr/lib/pkce-desk/pkce-desk-gui" 2>"$work/shlibdeps.log")" || {
	cat "$work/shlibdeps.log" >&2
	die "dpkg-shlibdeps failed on pkce-desk-gui"
}
depends="${shlibs#shlibs:Depends=}"
for need in libgtk-3-0 libwebkit2gtk-4.1-0; do
	[[ ", $depends" == *", $need "* || ", $depends," == *", $need,"* ]] ||
		die "dpkg-shlibdeps did not list $need for pkce-desk-gui (got: $depends)"
done

installed_size="$(find "$root" -path "$root/DEBIAN" -prune -o \( -type f -printf '%s\n' \) -o \( ! -type f -printf '1024\n' \) |
	awk '{ s += int(($1 + 1023) / 1024) } END { print s }')"
cat >"$root/DEBIAN/control" <<EOF
Package: pkce-desk
Version: $DEBVER
Architecture: amd64
Maintainer: $MAINTAINER
Installed-Size: $installed_size
Depends: $depends
Recommends: xdg-utils, dbus-user-session | dbus-session-bus, gnome-keyring | libkf5wallet-bin | keepassxc
Suggests: libsecret-tools
Section: net
Priority: optional
Homepage: $HOMEPAGE
Description: sign in to OAuth 2.0 and OpenID Connect providers with PKCE
 PKCE Desk signs you in to any OAuth 2.0 or OpenID Connect provider the way
 RFC 8252 says a native app should: in the system browser, with a loopback
 redirect on 127.0.0.1 and PKCE S256. It then decodes and checks the
 tokens, refreshes and revokes them, calls UserInfo and sends
 authenticated test requests to an API, and shows every step of a sign-in
 on a timeline. A built-in demo provider works without any account.
 .
 The pkce-desk command also signs in from a terminal (pkce-desk login) and
 runs the demo provider on its own, with no display.
EOF
(cd "$root" && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
# Modes do not depend on the umask: 0755 for folders and the two programs,
# 0644 for the rest.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod 0644 {} +
chmod 0755 "$root/usr/bin/pkce-desk" "$root/usr/lib/pkce-desk/pkce-desk-gui"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb="$out/pkce-desk_${DEBVER}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$(basename "$deb"): $(size_of "$deb")"

# --- the tar.gz ---------------------------------------------------------------
# The folder to unpack and run from: both binaries side by side (the command
# finds the window beside itself), the icon and desktop entry for those who
# want a menu entry (copy them to ~/.local/share/icons/hicolor/256x256/apps/
# and ~/.local/share/applications/), README.md and LICENSE.
top="pkce-desk-$VERSION-linux-amd64"
tdir="$work/tar/$top"
install -d "$tdir"
install -m 0755 "$work/bin/pkce-desk" "$work/bin/pkce-desk-gui" "$tdir/"
install -m 0644 "$work/icons/256.png" "$tdir/$APP_ID.png"
install -m 0644 "build/linux/$APP_ID.desktop" README.md LICENSE "$tdir/"
install -m 0644 "$work/third-party-licenses" "$tdir/THIRD-PARTY-LICENSES"
tgz="$out/$top.tar.gz"
tar -C "$work/tar" --sort=name --owner=0 --group=0 --numeric-owner \
	--mtime="@$SOURCE_DATE_EPOCH" --format=gnu -cf - "$top" | gzip -9n >"$tgz"
echo "$(basename "$tgz"): $(size_of "$tgz")"
