package store

import (
	"fmt"
	"strings"
	"testing"

	"pkcedesk/apiclient"
)

// BenchmarkAddHistoryFull measures one AddHistory when history.json is at a
// realistic worst case: 5 profiles × MaxHistoryPerProfile entries with 4 KiB
// bodies (~4 MB). Every add rewrites and fsyncs the whole file.
func BenchmarkAddHistoryFull(b *testing.B) {
	s, err := Open(b.TempDir()+"/s", WithLogger(quietLogger))
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for i := range 5 {
		p, err := s.SaveProfile(validProfile(fmt.Sprintf("P%d", i)))
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	body := strings.Repeat("x", 4<<10)
	// Fill without a write per entry.
	var entries []HistoryEntry
	for _, id := range ids {
		for range MaxHistoryPerProfile {
			entries = append(entries, HistoryEntry{ID: newID("h-"), ProfileID: id, Record: apiclient.Record{Method: "POST", URL: "https://api.example.com/items", Body: body}})
		}
	}
	s.mu.Lock()
	if err := s.saveHistoryLocked(entries); err != nil {
		b.Fatal(err)
	}
	s.mu.Unlock()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.AddHistory(ids[i%len(ids)], apiclient.Record{Method: "POST", URL: "https://api.example.com/items", Body: body}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveProfile measures saving one profile among 50.
func BenchmarkSaveProfile(b *testing.B) {
	s, err := Open(b.TempDir()+"/s", WithLogger(quietLogger))
	if err != nil {
		b.Fatal(err)
	}
	var last Profile
	for i := range 50 {
		last, err = s.SaveProfile(validProfile(fmt.Sprintf("P%d", i)))
		if err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := s.SaveProfile(last); err != nil {
			b.Fatal(err)
		}
	}
}

// fullConfigDir makes a config folder with a profile and a full history
// (4 KiB bodies) and returns it with the Store that wrote it.
func fullConfigDir(b *testing.B) (string, *Store) {
	dir := b.TempDir() + "/s"
	s, err := Open(dir, WithLogger(quietLogger))
	if err != nil {
		b.Fatal(err)
	}
	p, _ := s.SaveProfile(validProfile("P"))
	var entries []HistoryEntry
	for range MaxHistoryPerProfile * 5 {
		entries = append(entries, HistoryEntry{ID: newID("h-"), ProfileID: p.ID, Record: apiclient.Record{Method: "GET", URL: "https://api.example.com/", Body: strings.Repeat("y", 4<<10)}})
	}
	s.mu.Lock()
	_ = s.saveHistoryLocked(entries)
	s.mu.Unlock()
	return dir, s
}

// BenchmarkOpen measures start-up loading with a full history.
func BenchmarkOpen(b *testing.B) {
	dir, _ := fullConfigDir(b)
	for b.Loop() {
		if _, err := Open(dir, WithLogger(quietLogger)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPeekSettings is what the first frame waits for (window size,
// theme) on the same full config folder BenchmarkOpen loads in the
// background: compare the two.
func BenchmarkPeekSettings(b *testing.B) {
	dir, s := fullConfigDir(b)
	if _, err := s.SaveSettings(Settings{Theme: ThemeDark, Window: Window{Width: 1400, Height: 900}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if st := PeekSettings(dir); st.Theme != ThemeDark {
			b.Fatalf("PeekSettings = %+v", st)
		}
	}
}
