package store

import (
	"fmt"
	"slices"

	"pkcedesk/apiclient"
)

// History limits. What one entry may hold is the record's own rule
// (apiclient.Record and its Record*Limit constants); these bound how many
// entries the store keeps.
const (
	// MaxHistoryPerProfile is how many entries each profile keeps; older ones
	// are dropped as new ones arrive.
	MaxHistoryPerProfile = 200
	// MaxHistoryBodies caps the request bodies of all entries together
	// (8 MiB): beyond it the oldest entries are dropped, so history.json
	// stays quick to rewrite on every request.
	MaxHistoryBodies = 8 << 20
)

// HistoryEntry is one request sent from the request console, kept so the
// user can load it again: the apiclient.Record of the request, exactly as
// apiclient.NewRecord made it (no credentials, capped), with the entry's id
// and its profile. In history.json an entry is one JSON object: "id",
// "profile_id" and the record's members side by side.
type HistoryEntry struct {
	ID        string `json:"id"`
	ProfileID string `json:"profile_id"`
	apiclient.Record
}

func (e HistoryEntry) clone() HistoryEntry {
	e.Headers = slices.Clone(e.Headers)
	return e
}

type historyFile struct {
	SchemaVersion int            `json:"schema_version"`
	Entries       []HistoryEntry `json:"entries"`
}

func (s *Store) loadHistory() []HistoryEntry {
	var entries []HistoryEntry
	s.loadFile(HistoryFile, func(version int, data []byte) error {
		if version != 1 {
			return fmt.Errorf("schema_version %d is not known for history", version)
		}
		var f historyFile
		if err := strictUnmarshal(data, &f); err != nil {
			return fmt.Errorf("not a valid history file: %w", err)
		}
		entries = f.Entries
		return nil
	})
	// Whatever is on disk (a file edited by hand), never hand out a
	// credential from it: the record's own rule applies again.
	for i := range entries {
		entries[i].Record = entries[i].Record.Sanitized()
	}
	return entries
}

// History returns the profile's entries, newest first (a copy).
func (s *Store) History(profileID string) []HistoryEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []HistoryEntry
	for _, e := range s.history {
		if e.ProfileID == profileID {
			out = append(out, e.clone())
		}
	}
	return out
}

// AddHistory records a sent request for its profile and returns the entry as
// stored. The record is kept as given: apiclient.NewRecord already removed
// its credentials and capped it. The entry gets an ID and, if the record's
// Time is zero, the current time. Each profile keeps its newest
// MaxHistoryPerProfile entries, and all profiles together keep at most
// MaxHistoryBodies bytes of bodies (oldest entries go first). The profile
// must exist.
func (s *Store) AddHistory(profileID string, r apiclient.Record) (HistoryEntry, error) {
	e := HistoryEntry{ProfileID: profileID, Record: r}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.indexLocked(e.ProfileID) < 0 {
		return HistoryEntry{}, fmt.Errorf("add to history: %w: %q", ErrProfileNotFound, e.ProfileID)
	}
	e.ID = newID("h-")
	if e.Time.IsZero() {
		e.Time = s.now().UTC()
	}
	next := make([]HistoryEntry, 0, len(s.history)+1)
	next = append(next, e)
	count, bodies := 1, len(e.Body)
	for _, old := range s.history {
		if bodies += len(old.Body); bodies > s.maxHistoryBodies {
			break // history is newest first: everything from here is older
		}
		if old.ProfileID == e.ProfileID {
			if count == MaxHistoryPerProfile {
				continue
			}
			count++
		}
		next = append(next, old)
	}
	if err := s.saveHistoryLocked(next); err != nil {
		return HistoryEntry{}, err
	}
	return e.clone(), nil
}

// ClearHistory removes every history entry of the profile.
func (s *Store) ClearHistory(profileID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clearHistoryLocked(profileID)
}

func (s *Store) clearHistoryLocked(profileID string) error {
	next := make([]HistoryEntry, 0, len(s.history))
	for _, e := range s.history {
		if e.ProfileID != profileID {
			next = append(next, e)
		}
	}
	if len(next) == len(s.history) {
		return nil
	}
	return s.saveHistoryLocked(next)
}

func (s *Store) saveHistoryLocked(entries []HistoryEntry) error {
	// Compact JSON: history is the big file, and nobody edits it by hand.
	if err := s.saveJSONCompact(HistoryFile, historyFile{SchemaVersion: SchemaVersion, Entries: entries}); err != nil {
		return err
	}
	s.history = entries
	return nil
}
