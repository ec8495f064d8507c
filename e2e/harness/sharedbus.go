package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SharedBusBinary returns an executable that runs bin on the session bus
// at busAddress. StartApp runs every app under dbus-run-session, which
// gives it a private bus (so single-instance locks of parallel tests never
// meet); an app that must find the keychain of a KeyringSession, and the
// same keychain again after a restart, needs that session's bus instead.
// The returned script replaces DBUS_SESSION_BUS_ADDRESS and execs bin, so
// the app is still the process StartApp signals. Use it as
// AppOptions.Binary; run one such app at a time (they share the
// single-instance lock on that bus).
func SharedBusBinary(t testing.TB, bin, busAddress string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), filepath.Base(bin)+"-shared-bus")
	script := "#!/bin/sh\n" +
		"# Written by the PKCE Desk e2e harness: leave dbus-run-session's private bus\n" +
		"# for the test's shared session bus (and its keychain).\n" +
		"DBUS_SESSION_BUS_ADDRESS=" + shellQuote(busAddress) + "\n" +
		"export DBUS_SESSION_BUS_ADDRESS\n" +
		"exec " + shellQuote(bin) + " \"$@\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatalf("write the shared-bus launcher: %v", err)
	}
	return path
}

// shellQuote quotes s for a POSIX shell: inside single quotes nothing is
// special but the single quote itself.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
