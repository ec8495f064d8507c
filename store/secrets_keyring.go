package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name PKCE Desk's keychain items are stored
// under; each item's account is "<profileID>/<kind>".
const KeyringService = "pkce-desk"

// Timeouts for keychain calls. go-keyring can block indefinitely (on Linux
// when no Secret Service answers on the session bus, or while an unlock
// prompt waits), so every call runs with a deadline.
const (
	// DefaultProbeTimeout bounds the start-up check in OpenSecrets.
	DefaultProbeTimeout = 5 * time.Second
	// DefaultKeychainTimeout bounds each Set/Get/Delete; it leaves time for
	// the user to answer an unlock prompt.
	DefaultKeychainTimeout = 30 * time.Second
)

// keyringBackend is the part of go-keyring KeyringSecrets uses.
type keyringBackend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// osKeyring is the real OS keychain through go-keyring: macOS Keychain,
// Windows Credential Manager, Secret Service (GNOME Keyring, KWallet,
// KeePassXC) on Linux and BSD.
type osKeyring struct{}

func (osKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}
func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// KeyringSecrets keeps secrets in the OS keychain, under service
// KeyringService and account "<profileID>/<kind>". Values persist across
// runs. Every call has a deadline (DefaultKeychainTimeout); a keychain that
// does not answer yields an error wrapping ErrKeychainUnavailable. Safe for
// concurrent use.
type KeyringSecrets struct {
	service string
	timeout time.Duration
	backend keyringBackend
}

// NewKeyringSecrets returns secrets in the OS keychain under KeyringService.
// It does not check that the keychain works; OpenSecrets does.
func NewKeyringSecrets() *KeyringSecrets {
	return &KeyringSecrets{service: KeyringService, timeout: DefaultKeychainTimeout, backend: osKeyring{}}
}

func account(profileID string, kind SecretKind) string { return profileID + "/" + string(kind) }

// call runs fn with k's deadline. If the deadline passes, fn keeps running in
// its goroutine (go-keyring cannot be interrupted) and its result is dropped.
func (k *KeyringSecrets) call(fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("%w: no answer within %s", ErrKeychainUnavailable, k.timeout)
	}
}

// mapErr turns a go-keyring error into ours. go-keyring's errors never
// contain the secret value.
func mapErr(op string, profileID string, kind SecretKind, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrKeychainUnavailable):
		return fmt.Errorf("%s %s of profile %q: %w", op, kind, profileID, err)
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%s %s of profile %q: %w", op, kind, profileID, ErrNotFound)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("%s %s of profile %q: %w", op, kind, profileID, ErrSecretTooLarge)
	}
	return fmt.Errorf("%s %s of profile %q: %w: %w", op, kind, profileID, ErrKeychainUnavailable, err)
}

// Set stores value in the keychain, replacing any earlier value.
func (k *KeyringSecrets) Set(profileID string, kind SecretKind, value string) error {
	if err := checkSecretKey(profileID, kind); err != nil {
		return err
	}
	err := k.call(func() error { return k.backend.Set(k.service, account(profileID, kind), value) })
	return mapErr("store", profileID, kind, err)
}

// Get returns the stored value, or an error wrapping ErrNotFound.
func (k *KeyringSecrets) Get(profileID string, kind SecretKind) (string, error) {
	if err := checkSecretKey(profileID, kind); err != nil {
		return "", err
	}
	var v string
	err := k.call(func() error {
		var err error
		v, err = k.backend.Get(k.service, account(profileID, kind))
		return err
	})
	if err != nil {
		return "", mapErr("read", profileID, kind, err)
	}
	return v, nil
}

// Delete removes the value; a missing value is not an error.
func (k *KeyringSecrets) Delete(profileID string, kind SecretKind) error {
	if err := checkSecretKey(profileID, kind); err != nil {
		return err
	}
	err := mapErr("delete", profileID, kind,
		k.call(func() error { return k.backend.Delete(k.service, account(profileID, kind)) }))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// DeleteAll removes every kind of secret of the profile.
func (k *KeyringSecrets) DeleteAll(profileID string) error {
	var errs []error
	for _, kind := range SecretKinds {
		errs = append(errs, k.Delete(profileID, kind))
	}
	return errors.Join(errs...)
}

// Persistent returns true: the keychain keeps values across runs.
func (k *KeyringSecrets) Persistent() bool { return true }

// OpenSecrets returns the OS keychain if it works, checked by reading an
// item that does not exist within DefaultProbeTimeout (nothing is written).
// If the keychain is missing, locked without a prompt, or silent, it returns
// a MemorySecrets (Persistent() == false) and a Notice telling the user that
// secrets are kept in memory only. It never falls back to a file.
//
// On Linux and BSD, when no D-Bus session bus can be found
// (DBUS_SESSION_BUS_ADDRESS unset and no /run/user/<uid>/bus), the keychain
// is reported unavailable without calling go-keyring, which would otherwise
// try to start a stray dbus-daemon through dbus-launch.
func OpenSecrets() (Secrets, []Notice) {
	return openSecrets(osKeyring{}, KeyringService, DefaultProbeTimeout, DefaultKeychainTimeout, slog.Default())
}

func openSecrets(b keyringBackend, service string, probeTimeout, callTimeout time.Duration, log *slog.Logger) (Secrets, []Notice) {
	err := sessionBusPresent()
	if err == nil {
		err = probeKeychain(&KeyringSecrets{service: service, timeout: probeTimeout, backend: b})
	}
	if err != nil {
		log.Warn("system keychain unavailable; keeping secrets in memory only", "error", err)
		return NewMemorySecrets(), []Notice{{
			Code: NoticeSecretsInMemory,
			Message: fmt.Sprintf("Your system keychain is not available (%v). Client secrets and refresh tokens "+
				"will be kept in memory only and forgotten when PKCE Desk quits. On Linux, run a Secret Service "+
				"such as GNOME Keyring or KWallet to keep them.", err),
		}}
	}
	return &KeyringSecrets{service: service, timeout: callTimeout, backend: b}, nil
}

// probeAccount is the account the start-up probe reads. No profile can
// have it (profile IDs contain no "~") and nothing ever stores it.
const probeAccount = "~probe"

// probeKeychain checks that the keychain answers by reading an item that
// does not exist: "not found" (or, should one ever exist, a value) means
// the service is there, reachable and unlocked. It writes nothing, so a
// launch leaves no trace in the keychain, and it runs after the window is
// up (see desk.Start): unlocking a locked GNOME keyring may prompt.
func probeKeychain(k *KeyringSecrets) error {
	return k.call(func() error {
		_, err := k.backend.Get(k.service, probeAccount)
		if err == nil || errors.Is(err, keyring.ErrNotFound) {
			return nil
		}
		return fmt.Errorf("read a test item: %w", err)
	})
}

// sessionBusPresent reports, on systems whose keychain is the D-Bus Secret
// Service, whether a session bus address can be found without launching one.
func sessionBusPresent() error {
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "android":
		return nil
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	// The same places godbus looks before it falls back to dbus-launch.
	run := "/run/user/" + strconv.Itoa(os.Getuid())
	if fi, err := os.Stat(run + "/bus"); err == nil && fi.Mode()&os.ModeSocket != 0 {
		return nil
	}
	if _, err := os.Stat(run + "/dbus-session"); err == nil {
		return nil
	}
	return errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
}
