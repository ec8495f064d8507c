package store

import "sync"

// DeferredSecrets stands in for the secret store while the app is still
// finding out which one it has (the keychain probe runs after the window
// is up): every call waits until [DeferredSecrets.Resolve] names the real
// one, then goes to it. A Store can be opened and show profiles before
// that, since opening reads no secret.
type DeferredSecrets struct {
	once  sync.Once
	ready chan struct{}
	s     Secrets
}

// NewDeferredSecrets returns a DeferredSecrets that is not resolved yet.
func NewDeferredSecrets() *DeferredSecrets {
	return &DeferredSecrets{ready: make(chan struct{})}
}

// Resolve sets the secret store every call goes to and releases the calls
// waiting for it. Only the first call counts; it reports whether it was
// the one.
func (d *DeferredSecrets) Resolve(s Secrets) bool {
	first := false
	d.once.Do(func() {
		d.s, first = s, true
		close(d.ready)
	})
	return first
}

// Ready is closed once Resolve has been called.
func (d *DeferredSecrets) Ready() <-chan struct{} { return d.ready }

// Resolved returns the secret store once resolved, or nil before.
func (d *DeferredSecrets) Resolved() Secrets {
	select {
	case <-d.ready:
		return d.s
	default:
		return nil
	}
}

func (d *DeferredSecrets) wait() Secrets {
	<-d.ready
	return d.s
}

// Set stores a value in the resolved secret store.
func (d *DeferredSecrets) Set(profileID string, kind SecretKind, value string) error {
	return d.wait().Set(profileID, kind, value)
}

// Get reads a value from the resolved secret store.
func (d *DeferredSecrets) Get(profileID string, kind SecretKind) (string, error) {
	return d.wait().Get(profileID, kind)
}

// Delete removes a value from the resolved secret store.
func (d *DeferredSecrets) Delete(profileID string, kind SecretKind) error {
	return d.wait().Delete(profileID, kind)
}

// DeleteAll removes every value of a profile from the resolved secret store.
func (d *DeferredSecrets) DeleteAll(profileID string) error { return d.wait().DeleteAll(profileID) }

// Persistent reports whether the resolved secret store keeps values.
func (d *DeferredSecrets) Persistent() bool { return d.wait().Persistent() }
