package harness

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// KeyringSession is a private desktop session with a real OS keychain: its
// own D-Bus session bus (dbus-daemon) and gnome-keyring-daemon's Secret
// Service (org.freedesktop.secrets), whose login keyring is created and
// unlocked with a throwaway password, so no prompt ever shows. HOME and the
// XDG folders live in one temp dir, so the keyring files
// (XDG_DATA_HOME/keyrings) and everything an app writes there are isolated
// from the user's. Apps launched with Env share this bus, folders and
// keychain, which is what a test of "survives a restart" needs.
//
// Both daemons are stopped by PID when t ends.
type KeyringSession struct {
	// BusAddress is the session bus (DBUS_SESSION_BUS_ADDRESS value).
	BusAddress string
	// Home, ConfigHome, DataHome, CacheHome and RuntimeDir are HOME and the
	// XDG base folders of the session.
	Home, ConfigHome, DataHome, CacheHome, RuntimeDir string
}

// keyringReady bounds the wait for the Secret Service to answer.
const keyringReady = 20 * time.Second

// StartKeyring starts the session bus and gnome-keyring-daemon (secrets
// component only) and waits until the keychain stores, returns and deletes
// a probe item. It fails t if dbus-daemon, gnome-keyring-daemon or
// secret-tool is missing (apt-get install dbus gnome-keyring libsecret-tools)
// or the keychain does not answer within 20 s.
func StartKeyring(t testing.TB) *KeyringSession {
	t.Helper()
	for _, tool := range []string{"dbus-daemon", "gnome-keyring-daemon", "secret-tool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: apt-get install -y dbus gnome-keyring libsecret-tools", tool)
		}
	}
	base := t.TempDir()
	k := &KeyringSession{
		Home: filepath.Join(base, "home"), ConfigHome: filepath.Join(base, "config"),
		DataHome: filepath.Join(base, "data"), CacheHome: filepath.Join(base, "cache"),
		RuntimeDir: filepath.Join(base, "runtime"),
	}
	for _, dir := range []string{k.Home, k.ConfigHome, k.DataHome, k.CacheHome, k.RuntimeDir} {
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	}

	// The bus: its address is the first line dbus-daemon prints.
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1",
		"--address=unix:path="+filepath.Join(k.RuntimeDir, "bus"))
	bus.Env = k.baseEnv()
	busProc, addr, err := StartProcessFirstLine("dbus-daemon", bus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !busProc.StopWithin(stopGrace) {
			t.Errorf("dbus-daemon (pid %d) did not exit within 5 s of SIGTERM", busProc.PID())
		}
	})
	select {
	case k.BusAddress = <-addr:
	case <-time.After(10 * time.Second):
		t.Fatalf("dbus-daemon printed no address within 10 s: %s", busProc.Logs())
	}
	if !strings.HasPrefix(k.BusAddress, "unix:") {
		t.Fatalf("dbus-daemon printed %q, not a bus address: %s", k.BusAddress, busProc.Logs())
	}

	// The keychain: --unlock reads the password from stdin and creates the
	// login keyring with it if there is none; --foreground keeps the daemon
	// our child, so it is stopped by its PID.
	gk := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	gk.Env = k.processEnv()
	gk.Stdin = strings.NewReader(hex.EncodeToString(randomBytes(16))) // a throwaway password
	gkProc, err := StartProcess("gnome-keyring-daemon", gk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !gkProc.StopWithin(stopGrace) {
			t.Errorf("gnome-keyring-daemon (pid %d) did not exit within 5 s of SIGTERM", gkProc.PID())
		}
		if t.Failed() {
			t.Logf("gnome-keyring-daemon output:\n%s", gkProc.Logs())
		}
	})
	if err := k.waitReady(gkProc.Exited()); err != nil {
		t.Fatalf("the keychain did not answer: %v\ngnome-keyring-daemon output:\n%s", err, gkProc.Logs())
	}
	return k
}

// baseEnv is the environment without the caller's desktop session, plus
// this session's HOME and XDG folders.
func (k *KeyringSession) baseEnv() []string {
	env := filteredEnviron("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
		"GNOME_KEYRING_CONTROL", "SSH_AUTH_SOCK", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
		"XDG_CACHE_HOME", "XDG_RUNTIME_DIR")
	return append(env, "HOME="+k.Home, "XDG_CONFIG_HOME="+k.ConfigHome, "XDG_DATA_HOME="+k.DataHome,
		"XDG_CACHE_HOME="+k.CacheHome, "XDG_RUNTIME_DIR="+k.RuntimeDir)
}

// Env returns the NAME=value entries that put a process into this session:
// the bus address, HOME and the XDG folders. Pass them to AppOptions.Env
// (together with SharedBusBinary, since StartApp gives the app a bus of
// its own).
func (k *KeyringSession) Env() []string {
	return []string{"DBUS_SESSION_BUS_ADDRESS=" + k.BusAddress, "HOME=" + k.Home,
		"XDG_CONFIG_HOME=" + k.ConfigHome, "XDG_DATA_HOME=" + k.DataHome,
		"XDG_CACHE_HOME=" + k.CacheHome, "XDG_RUNTIME_DIR=" + k.RuntimeDir}
}

// processEnv is the whole environment of a helper run in this session.
func (k *KeyringSession) processEnv() []string { return SetEnv(k.baseEnv(), k.Env()...) }

// waitReady stores, reads back and clears a probe item with secret-tool
// until that works, the daemon exits, or keyringReady passes.
func (k *KeyringSession) waitReady(daemonDone <-chan struct{}) error {
	const probeService = "pkce-desk-e2e-probe"
	want := hex.EncodeToString(randomBytes(8))
	deadline := time.Now().Add(keyringReady)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-daemonDone:
			return errors.New("gnome-keyring-daemon exited")
		case <-time.After(200 * time.Millisecond):
		}
		if _, err := k.secretTool(strings.NewReader(want), "store", "--label=e2e probe", "service", probeService); err != nil {
			last = err
			continue
		}
		got, err := k.secretTool(nil, "lookup", "service", probeService)
		if err != nil {
			last = err
			continue
		}
		if _, err := k.secretTool(nil, "clear", "service", probeService); err != nil {
			last = err
			continue
		}
		if strings.TrimSpace(got) != want {
			return errors.New("the keychain returned another value than the probe stored")
		}
		return nil
	}
	return fmt.Errorf("no working keychain within %s; last error: %w", keyringReady, last)
}

// KeyringItem is one item of the keychain as secret-tool lists it.
type KeyringItem struct {
	// Path is the item's D-Bus object path (as secret-tool shortens it).
	Path string
	// Label is the item's label; go-keyring writes "Password for
	// '<account>' on '<service>'".
	Label string
	// Secret is the stored value. Never log it.
	Secret string
}

// Search lists the keychain items whose attributes match the given
// name/value pairs, as `secret-tool search --all` does (each call is
// bounded by 10 s). An empty result means nothing matched.
func (k *KeyringSession) Search(attrs ...string) ([]KeyringItem, error) {
	if len(attrs) == 0 || len(attrs)%2 != 0 {
		return nil, fmt.Errorf("search wants name value pairs, got %d words", len(attrs))
	}
	out, err := k.secretTool(nil, append([]string{"search", "--all"}, attrs...)...)
	if err != nil {
		return nil, err
	}
	return parseSecretToolSearch(out), nil
}

// parseSecretToolSearch reads secret-tool search's standard output: per
// item a "[path]" line, then "name = value" lines (the attributes go to
// standard error and are not part of it).
func parseSecretToolSearch(out string) []KeyringItem {
	var items []KeyringItem
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			items = append(items, KeyringItem{Path: strings.Trim(line, "[]")})
			continue
		}
		name, value, ok := strings.Cut(line, " = ")
		if !ok || len(items) == 0 {
			continue
		}
		switch name {
		case "label":
			items[len(items)-1].Label = value
		case "secret":
			items[len(items)-1].Secret = value
		}
	}
	return items
}

// secretTool runs secret-tool in this session and returns its standard
// output (capped at 1 MiB). Standard error, which never holds a secret,
// goes into the error.
func (k *KeyringSession) secretTool(stdin io.Reader, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", args...)
	cmd.Env = k.processEnv()
	cmd.Stdin = stdin
	stdout, stderr := newTailBuffer(), newTailBuffer()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("secret-tool %s: %w: %s", args[0], err, bytes.TrimSpace([]byte(stderr.String())))
	}
	return stdout.String(), nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go ≥ 1.24)
	return b
}
