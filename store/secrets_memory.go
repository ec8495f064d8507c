package store

import (
	"fmt"
	"sync"
)

// MemorySecrets keeps secrets in process memory only: they are gone when the
// app quits. It is the fallback when no OS keychain answers; it never writes
// anything to disk. Safe for concurrent use.
type MemorySecrets struct {
	mu     sync.Mutex
	values map[string]string
}

// NewMemorySecrets returns an empty in-memory secret store.
func NewMemorySecrets() *MemorySecrets {
	return &MemorySecrets{values: map[string]string{}}
}

func memKey(profileID string, kind SecretKind) string { return profileID + "/" + string(kind) }

// Set stores value in memory, replacing any earlier one.
func (m *MemorySecrets) Set(profileID string, kind SecretKind, value string) error {
	if err := checkSecretKey(profileID, kind); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.values[memKey(profileID, kind)] = value
	return nil
}

// Get returns the value, or an error wrapping ErrNotFound.
func (m *MemorySecrets) Get(profileID string, kind SecretKind) (string, error) {
	if err := checkSecretKey(profileID, kind); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.values[memKey(profileID, kind)]
	if !ok {
		return "", fmt.Errorf("%s of profile %q: %w", kind, profileID, ErrNotFound)
	}
	return v, nil
}

// Delete removes the value; a missing value is not an error.
func (m *MemorySecrets) Delete(profileID string, kind SecretKind) error {
	if err := checkSecretKey(profileID, kind); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.values, memKey(profileID, kind))
	return nil
}

// DeleteAll removes every secret of the profile.
func (m *MemorySecrets) DeleteAll(profileID string) error {
	for _, k := range SecretKinds {
		if err := m.Delete(profileID, k); err != nil {
			return err
		}
	}
	return nil
}

// Persistent returns false: nothing survives the app quitting.
func (m *MemorySecrets) Persistent() bool { return false }
