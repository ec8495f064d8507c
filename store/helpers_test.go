package store

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// quietLogger discards store logs in tests.
var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixedClock returns a clock stuck at 2026-11-25 13:05:01 UTC.
func fixedClock() func() time.Time {
	t := time.Date(2026, 11, 25, 13, 5, 1, 0, time.UTC)
	return func() time.Time { return t }
}

func openTest(t *testing.T, dir string, opts ...Option) *Store {
	t.Helper()
	opts = append([]Option{WithLogger(quietLogger)}, opts...)
	s, err := Open(dir, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return s
}

func validProfile(name string) Profile {
	return Profile{
		Name:     name,
		Issuer:   "https://login.example.com",
		ClientID: "desk-app",
		Scopes:   []string{"openid", "profile"},
	}
}

func mustSave(t *testing.T, s *Store, p Profile) Profile {
	t.Helper()
	saved, err := s.SaveProfile(p)
	if err != nil {
		t.Fatalf("SaveProfile(%q): %v", p.Name, err)
	}
	return saved
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func noticeCodes(ns []Notice) []NoticeCode {
	var out []NoticeCode
	for _, n := range ns {
		out = append(out, n.Code)
	}
	return out
}

func join(parts ...string) string { return filepath.Join(parts...) }

// storeDir returns a fresh, private (0700) directory for a store. t.TempDir
// itself is 0755, which Open would rightly tighten and report.
func storeDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pkce-desk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}
