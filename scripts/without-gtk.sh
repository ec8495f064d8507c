#!/usr/bin/env bash
# without-gtk.sh PROGRAM [ARGS...] — run PROGRAM as on a machine where GTK
# and WebKit are not installed: in a private mount namespace, every shared
# library of GTK 3, GDK 3, WebKitGTK 4.1, JavaScriptCoreGTK 4.1 and libsoup 3
# on this machine is covered by an empty file (/dev/null), so a program
# linked against them fails to start ("error while loading shared
# libraries") while everything else on the machine still works. The
# program keeps this process's PID (unshare and sh exec, nothing forks), so
# whoever started it can signal and wait for it as usual.
#
# Used by the headless stage (the pkce-desk command must start; the window
# binary must not, which proves the covering works) and by the e2e CLI
# tests, which run every `pkce-desk login` / `demo-provider` through it.
# Needs root, or unprivileged user namespaces (then it maps the user to root
# inside the namespace only).
set -euo pipefail
[ "$#" -ge 1 ] || { echo "usage: $0 PROGRAM [ARGS...]" >&2; exit 2; }

libs=()
for pattern in 'libgtk-3.so*' 'libgdk-3.so*' 'libwebkit2gtk-4.1.so*' 'libjavascriptcoregtk-4.1.so*' 'libsoup-3.0.so*'; do
	while IFS= read -r f; do
		libs+=("$f")
	done < <(find /usr/lib /lib -name "$pattern" \( -type f -o -type l \) 2>/dev/null)
done

userns=()
[ "$(id -u)" = 0 ] || userns=(--map-root-user)
# Inside: cover each library (a symlink is covered through its target, the
# same inode, so the real files are what gets covered), then exec.
# shellcheck disable=SC2016 # expanded by the inner sh, not here
exec unshare --mount --propagation private "${userns[@]}" -- /bin/sh -c '
n=$1; shift
i=0
while [ "$i" -lt "$n" ]; do
	lib=$1; shift
	mount --bind /dev/null "$(readlink -f "$lib")" || { echo "without-gtk: cannot cover $lib" >&2; exit 125; }
	i=$((i + 1))
done
exec "$@"
' without-gtk "${#libs[@]}" "${libs[@]}" "$@"
