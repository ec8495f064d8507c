package store

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// History limits.
const (
	// MaxHistoryPerProfile is how many entries each profile keeps; older ones
	// are dropped as new ones arrive.
	MaxHistoryPerProfile = 200
	// MaxHistoryBody is the most request body kept per entry (64 KiB).
	MaxHistoryBody = 64 << 10
	// MaxHistoryBodies caps the request bodies of all entries together
	// (8 MiB): beyond it the oldest entries are dropped, so history.json
	// stays quick to rewrite on every request.
	MaxHistoryBodies    = 8 << 20
	maxHistoryURL       = 8 << 10
	maxHistoryHeaders   = 100
	maxHistoryHeaderVal = 8 << 10
)

// Header is one request header as the user entered it.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// HistoryEntry is one request sent from the request console, kept so the
// user can load it again.
//
// An entry never holds credentials that the app adds: AddHistory removes any
// Authorization and Proxy-Authorization header (the bearer token is added
// afresh at send time) and replaces the value of an access_token query
// parameter in URL (RFC 6750 §2.3) with "REDACTED".
type HistoryEntry struct {
	ID        string    `json:"id"`
	ProfileID string    `json:"profile_id"`
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	URL       string    `json:"url"`
	Headers   []Header  `json:"headers,omitempty"`
	// Body is the request body, at most MaxHistoryBody bytes (cut at a UTF-8
	// character boundary); BodyTruncated says whether it was cut.
	Body          string `json:"body,omitempty"`
	BodyType      string `json:"body_type,omitempty"`
	BodyTruncated bool   `json:"body_truncated,omitempty"`
	// Status is the response's HTTP status, 0 if no response came.
	Status int `json:"status"`
	// DurationMs is the total time of the request in milliseconds.
	DurationMs int64 `json:"duration_ms"`
	// Size is the response body size in bytes.
	Size int64 `json:"size"`
}

func (e HistoryEntry) clone() HistoryEntry {
	e.Headers = slices.Clone(e.Headers)
	return e
}

// sanitized returns e without credentials and within the size limits.
func (e HistoryEntry) sanitized() HistoryEntry {
	var hs []Header
	for _, h := range e.Headers {
		name := strings.TrimSpace(h.Name)
		if strings.EqualFold(name, "Authorization") || strings.EqualFold(name, "Proxy-Authorization") {
			continue
		}
		if len(hs) == maxHistoryHeaders {
			break
		}
		hs = append(hs, Header{Name: name, Value: truncateUTF8(h.Value, maxHistoryHeaderVal)})
	}
	e.Headers = hs
	e.URL = truncateUTF8(redactAccessTokenParam(e.URL), maxHistoryURL)
	e.Method = truncateUTF8(strings.ToUpper(strings.TrimSpace(e.Method)), 32)
	e.BodyType = truncateUTF8(e.BodyType, 256)
	if len(e.Body) > MaxHistoryBody {
		e.Body = truncateUTF8(e.Body, MaxHistoryBody)
		e.BodyTruncated = true
	}
	return e
}

// redactAccessTokenParam replaces the value of access_token in the query
// (RFC 6750 §2.3 lets clients send a bearer token there).
func redactAccessTokenParam(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil || !q.Has("access_token") {
		if err != nil && strings.Contains(u.RawQuery, "access_token") {
			u.RawQuery = "access_token=REDACTED"
			return u.String()
		}
		return raw
	}
	q.Set("access_token", "REDACTED")
	u.RawQuery = q.Encode()
	return u.String()
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
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
	// Whatever is on disk, never hand out a credential from it.
	for i := range entries {
		entries[i] = entries[i].sanitized()
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
// stored. The entry is sanitized first (see HistoryEntry: no Authorization
// header, no access_token query value, body capped); it gets an ID and, if
// Time is zero, the current time. Each profile keeps its newest
// MaxHistoryPerProfile entries, and all profiles together keep at most
// MaxHistoryBodies bytes of bodies (oldest entries go first). The profile
// must exist.
func (s *Store) AddHistory(e HistoryEntry) (HistoryEntry, error) {
	e = e.sanitized()
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
