package store

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// requireKeyringEnv makes the real-keychain tests fail instead of skip when no
// keychain is reachable (scripts/keyring-test.sh sets it).
const requireKeyringEnv = "PKCE_DESK_REQUIRE_KEYRING"

func isLinuxLike() bool {
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "android":
		return false
	}
	return true
}

// realKeyring returns KeyringSecrets on the real OS keychain under a test
// service name, or skips (fails under PKCE_DESK_REQUIRE_KEYRING=1) with the
// reason when none answers.
func realKeyring(t *testing.T) *KeyringSecrets {
	t.Helper()
	unavailable := func(why string) {
		msg := "no usable OS keychain: " + why +
			"; run scripts/keyring-test.sh to test against a real Secret Service (gnome-keyring under dbus-run-session)"
		if os.Getenv(requireKeyringEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if err := sessionBusPresent(); err != nil {
		unavailable(err.Error())
	}
	k := &KeyringSecrets{service: KeyringService + "-test", timeout: 10 * time.Second, backend: osKeyring{}}
	probe := *k
	probe.timeout = DefaultProbeTimeout
	if err := probeKeychain(&probe); err != nil {
		unavailable(err.Error())
	}
	return k
}

func TestKeyringRealSecretService(t *testing.T) {
	k := realKeyring(t)
	id := newID("p-test-")
	t.Cleanup(func() { _ = k.DeleteAll(id) })

	exerciseSecrets(t, k, id)

	// Store, rotate and read back through a second instance: the value lives
	// in the keychain, not in this object.
	if err := k.Set(id, RefreshToken, "rt-original"); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(id, RefreshToken, "rt-rotated"); err != nil {
		t.Fatal(err)
	}
	other := &KeyringSecrets{service: k.service, timeout: k.timeout, backend: osKeyring{}}
	if v, err := other.Get(id, RefreshToken); err != nil || v != "rt-rotated" {
		t.Fatalf("second instance Get = %q, %v", v, err)
	}
	if isLinuxLike() {
		if path, err := exec.LookPath("secret-tool"); err == nil {
			// Independent check with libsecret: exactly one item, the new value.
			out, err := exec.Command(path, "lookup", "service", k.service, "username", id+"/refresh_token").Output()
			if err != nil || string(out) != "rt-rotated" {
				t.Errorf("secret-tool lookup = %q, %v", out, err)
			}
			out, _ = exec.Command(path, "search", "--all", "service", k.service, "username", id+"/refresh_token").CombinedOutput()
			if n := strings.Count(string(out), "label = "); n != 1 {
				t.Errorf("rotation left %d items, want 1:\n%s", n, out)
			}
		}
	}
	if err := k.Delete(id, RefreshToken); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Get(id, RefreshToken); !errors.Is(err, ErrNotFound) {
		t.Errorf("after Delete: %v", err)
	}

	// DeleteAll removes only this profile's secrets.
	other2 := newID("p-test-")
	t.Cleanup(func() { _ = k.DeleteAll(other2) })
	for _, pid := range []string{id, other2} {
		for _, kind := range SecretKinds {
			if err := k.Set(pid, kind, pid+string(kind)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := k.DeleteAll(id); err != nil {
		t.Fatal(err)
	}
	for _, kind := range SecretKinds {
		if _, err := k.Get(id, kind); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s after DeleteAll: %v", kind, err)
		}
		if v, err := k.Get(other2, kind); err != nil || v != other2+string(kind) {
			t.Errorf("other profile's %s = %q, %v", kind, v, err)
		}
	}
}

func TestKeyringOpenSecretsPersistent(t *testing.T) {
	realKeyring(t)
	sec, notices := OpenSecrets()
	if !sec.Persistent() || notices != nil {
		t.Errorf("OpenSecrets with a working keychain = %T, %+v", sec, notices)
	}
}

// TestKeyringProbeNoBus runs OpenSecrets in a child process whose session bus
// address points nowhere: it must come back quickly with memory secrets and
// a notice, not hang and not launch a bus.
func TestKeyringProbeNoBus(t *testing.T) {
	if !isLinuxLike() {
		t.Skip("the keychain here is not on D-Bus")
	}
	if os.Getenv("PKCE_DESK_PROBE_CHILD") == "1" {
		sec, notices := OpenSecrets()
		if sec.Persistent() || len(notices) != 1 || notices[0].Code != NoticeSecretsInMemory {
			t.Fatalf("OpenSecrets without a bus = %T, %+v", sec, notices)
		}
		if err := sec.Set("p-child", RefreshToken, "kept in memory"); err != nil {
			t.Fatal(err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKeyringProbeNoBus$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"PKCE_DESK_PROBE_CHILD=1",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+t.TempDir()+"/no-bus-here",
	)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
