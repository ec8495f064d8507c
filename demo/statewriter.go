package demo

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"pkcedesk/internal/atomicfile"
)

// stateWriter writes demo-state.json for one Server. Writes are serialised
// and versioned: snapshots are numbered in the order storage took them under
// its lock, and a snapshot older than the one already on disk is skipped, so
// concurrent requests can never put an older state over a newer one.
type stateWriter struct {
	path   string
	port   int    // the port this Server listens on
	issuer string // this Server's issuer
	log    *slog.Logger

	mu      sync.Mutex
	written uint64 // version of the snapshot on disk; guarded by mu
}

// write puts the grants of snapshot version on disk atomically (0600, temp
// file + fsync + rename), unless a newer snapshot is already there.
func (w *stateWriter) write(grants []grantRecord, version uint64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if version <= w.written {
		return nil
	}
	f := stateFile{Version: stateFileVersion, Port: w.port, Issuer: w.issuer, Grants: grants}
	if f.Grants == nil {
		f.Grants = []grantRecord{}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the state: %w", err)
	}
	if err := atomicfile.Write(w.path, append(data, '\n')); err != nil {
		return err
	}
	w.written = version
	return nil
}

// unlockAndPersist releases s.mu. When refresh-token records changed while it
// was held (s.changed), it first takes a snapshot and, after unlocking,
// writes it, so the caller's answer (a new refresh token, a revocation) is on
// disk before it is sent. A failed write is logged, not returned: the running
// provider stays correct, only the restart would forget the change.
// Methods that change refresh tokens lock s.mu and defer this.
func (s *storage) unlockAndPersist() {
	w := s.state
	if w == nil || !s.changed {
		s.mu.Unlock()
		return
	}
	grants, version := s.takeSnapshotLocked()
	s.mu.Unlock()
	if err := w.write(grants, version); err != nil {
		w.log.Warn("demo: could not save the refresh-token grants; sessions will not survive a restart",
			"file", w.path, "err", err)
	}
}

// saveState writes the current state whether or not it changed: at Start (to
// record the port and the pruned grants) and at Close. With detach it also
// stops persisting, so nothing reaches the file after Close hands the state
// directory back.
func (s *storage) saveState(detach bool) error {
	s.mu.Lock()
	w := s.state
	if w == nil {
		s.mu.Unlock()
		return nil
	}
	if detach {
		s.state = nil
	}
	grants, version := s.takeSnapshotLocked()
	s.mu.Unlock()
	if err := w.write(grants, version); err != nil {
		return fmt.Errorf("demo: save state: %w", err)
	}
	return nil
}

// takeSnapshotLocked numbers and takes a snapshot of the grants. Callers hold s.mu.
func (s *storage) takeSnapshotLocked() ([]grantRecord, uint64) {
	s.changed = false
	s.version++
	return s.snapshotLocked(s.now()), s.version
}
