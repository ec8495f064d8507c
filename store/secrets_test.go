package store

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// fakeKeyring behaves like go-keyring's backends (same errors), optionally
// blocking until released, to test KeyringSecrets without an OS keychain.
type fakeKeyring struct {
	mu      sync.Mutex
	items   map[string]string
	failSet error
	failGet error
	sets    int           // Set calls
	block   chan struct{} // when non-nil, every call waits for it to close
}

func newFakeKeyring() *fakeKeyring { return &fakeKeyring{items: map[string]string{}} }

func (f *fakeKeyring) wait() {
	if f.block != nil {
		<-f.block
	}
}

func (f *fakeKeyring) Set(service, user, pw string) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets++
	if f.failSet != nil {
		return f.failSet
	}
	f.items[service+"\x00"+user] = pw
	return nil
}

func (f *fakeKeyring) Get(service, user string) (string, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failGet != nil {
		return "", f.failGet
	}
	v, ok := f.items[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Delete(service, user string) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	k := service + "\x00" + user
	if _, ok := f.items[k]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, k)
	return nil
}

// exerciseSecrets runs the contract every Secrets implementation must keep.
func exerciseSecrets(t *testing.T, sec Secrets, profileID string) {
	t.Helper()
	if _, err := sec.Get(profileID, RefreshToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: err = %v, want ErrNotFound", err)
	}
	if err := sec.Set(profileID, RefreshToken, "rt-1"); err != nil {
		t.Fatal(err)
	}
	if err := sec.Set(profileID, ClientSecret, "cs"); err != nil {
		t.Fatal(err)
	}
	// Rotation: the new refresh token replaces the old one.
	if err := sec.Set(profileID, RefreshToken, "rt-2 rotated ✓"); err != nil {
		t.Fatal(err)
	}
	if v, err := sec.Get(profileID, RefreshToken); err != nil || v != "rt-2 rotated ✓" {
		t.Fatalf("after rotation Get = %q, %v", v, err)
	}
	if v, err := sec.Get(profileID, ClientSecret); err != nil || v != "cs" {
		t.Fatalf("client secret = %q, %v", v, err)
	}
	if err := sec.Delete(profileID, RefreshToken); err != nil {
		t.Fatal(err)
	}
	if _, err := sec.Get(profileID, RefreshToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after Delete: %v", err)
	}
	if err := sec.Delete(profileID, RefreshToken); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
	if err := sec.Set(profileID, RefreshToken, "rt-3"); err != nil {
		t.Fatal(err)
	}
	if err := sec.DeleteAll(profileID); err != nil {
		t.Fatal(err)
	}
	for _, k := range SecretKinds {
		if _, err := sec.Get(profileID, k); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s after DeleteAll: %v", k, err)
		}
	}
	if err := sec.Set("../etc", RefreshToken, "x"); err == nil {
		t.Error("accepted a profile ID with a path in it")
	}
	if err := sec.Set(profileID, "password", "x"); err == nil {
		t.Error("accepted an unknown secret kind")
	}
}

func TestMemorySecrets(t *testing.T) {
	m := NewMemorySecrets()
	exerciseSecrets(t, m, "p-mem")
	if m.Persistent() {
		t.Error("memory secrets claim to persist")
	}
}

func TestKeyringSecretsWithFakeBackend(t *testing.T) {
	f := newFakeKeyring()
	k := &KeyringSecrets{service: "svc", timeout: 30 * time.Second, backend: f}
	exerciseSecrets(t, k, "p-fake")
	if !k.Persistent() {
		t.Error("keyring secrets must be persistent")
	}
	_ = k.Set("p-fake", ClientSecret, "abc")
	if f.items["svc\x00p-fake/client_secret"] != "abc" {
		t.Errorf("account naming: items = %v", f.items)
	}

	f.failSet = keyring.ErrSetDataTooBig
	if err := k.Set("p-fake", RefreshToken, "big"); !errors.Is(err, ErrSecretTooLarge) {
		t.Errorf("too big: %v", err)
	}
	f.failSet = errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
	err := k.Set("p-fake", RefreshToken, "value-that-must-not-leak")
	if !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "ServiceUnknown") {
		t.Errorf("backend error: %v", err)
	}
	if strings.Contains(err.Error(), "value-that-must-not-leak") {
		t.Errorf("error contains the secret: %v", err)
	}
}

func TestKeyringSecretsTimesOut(t *testing.T) {
	f := newFakeKeyring()
	f.block = make(chan struct{})
	defer close(f.block) // let the stuck goroutines finish
	k := &KeyringSecrets{service: "svc", timeout: 20 * time.Millisecond, backend: f}
	if _, err := k.Get("p-x", RefreshToken); !errors.Is(err, ErrKeychainUnavailable) {
		t.Errorf("Get on a silent keychain: %v", err)
	}
	if err := k.DeleteAll("p-x"); !errors.Is(err, ErrKeychainUnavailable) {
		t.Errorf("DeleteAll on a silent keychain: %v", err)
	}
}

func TestOpenSecretsFallsBackToMemory(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent") // pass the bus pre-check
	for _, tc := range []struct {
		name string
		b    *fakeKeyring
	}{
		{"refuses", &fakeKeyring{items: map[string]string{}, failGet: errors.New("org.freedesktop.Secret.Error.IsLocked")}},
		{"silent", &fakeKeyring{items: map[string]string{}, block: make(chan struct{})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.b.block != nil {
				defer close(tc.b.block)
			}
			var logs bytes.Buffer
			sec, notices := openSecrets(tc.b, "svc", 50*time.Millisecond, time.Second, slog.New(slog.NewTextHandler(&logs, nil)))
			if _, ok := sec.(*MemorySecrets); !ok || sec.Persistent() {
				t.Fatalf("got %T, want *MemorySecrets", sec)
			}
			if len(notices) != 1 || notices[0].Code != NoticeSecretsInMemory || !strings.Contains(notices[0].Message, "memory only") {
				t.Errorf("notices = %+v", notices)
			}
			if !strings.Contains(logs.String(), "memory only") {
				t.Errorf("fallback not logged: %s", logs.String())
			}
		})
	}
}

func TestOpenSecretsUsesWorkingKeychain(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
	f := newFakeKeyring()
	sec, notices := openSecrets(f, "svc", 30*time.Second, 30*time.Second, quietLogger)
	if _, ok := sec.(*KeyringSecrets); !ok || notices != nil {
		t.Fatalf("got %T %+v, want *KeyringSecrets and no notice", sec, notices)
	}
	if len(f.items) != 0 || f.sets != 0 {
		t.Errorf("the probe wrote to the keychain: %d Set calls, items %v", f.sets, f.items)
	}
}

func TestOpenSecretsWithoutSessionBusDoesNotCallKeyring(t *testing.T) {
	if noBus := sessionBusPresent(); noBus == nil && !isLinuxLike() {
		t.Skip("this OS does not use a D-Bus keychain")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if sessionBusPresent() == nil {
		t.Skip("/run/user/<uid>/bus exists; cannot simulate a missing bus here")
	}
	f := newFakeKeyring()
	f.failSet = errors.New("must not be called")
	sec, notices := openSecrets(f, "svc", 30*time.Second, 30*time.Second, quietLogger)
	if sec.Persistent() || len(notices) != 1 || !strings.Contains(notices[0].Message, "D-Bus") {
		t.Errorf("got %T, %+v", sec, notices)
	}
}
