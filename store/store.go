package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"pkcedesk/internal/atomicfile"
)

// File names inside the store directory.
const (
	ProfilesFile = "profiles.json"
	SettingsFile = "settings.json"
	HistoryFile  = "history.json"
)

// AppDirName is the directory under os.UserConfigDir that DefaultDir returns.
const AppDirName = "pkce-desk"

// DefaultDir returns where PKCE Desk keeps its files: os.UserConfigDir()/pkce-desk
// (~/.config/pkce-desk on Linux, ~/Library/Application Support/pkce-desk on
// macOS, %AppData%\pkce-desk on Windows). It does not create the directory.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user configuration directory: %w", err)
	}
	return filepath.Join(base, AppDirName), nil
}

// Store is the on-disk state of PKCE Desk: profiles, settings and request
// history in one directory, with secrets behind a Secrets implementation.
// All methods are safe for concurrent use; every change is written to disk
// before the method returns.
type Store struct {
	dir     string
	secrets Secrets
	now     func() time.Time
	log     *slog.Logger
	writer  atomicfile.Writer

	maxHistoryBodies int

	mu       sync.Mutex
	profiles []Profile
	settings Settings
	history  []HistoryEntry
	notices  []Notice
}

// Option configures Open.
type Option func(*Store)

// WithSecrets makes the store use sec for client secrets and refresh tokens
// (normally what OpenSecrets returned). Without it the store keeps secrets in
// memory only (NewMemorySecrets).
func WithSecrets(sec Secrets) Option {
	return func(s *Store) { s.secrets = sec }
}

// WithLogger sets the logger for store events (never given secret values).
func WithLogger(l *slog.Logger) Option {
	return func(s *Store) { s.log = l }
}

// withClock replaces time.Now; tests use it.
func withClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// withHistoryBodiesCap lowers MaxHistoryBodies; tests use it to stay fast.
func withHistoryBodiesCap(n int) Option {
	return func(s *Store) { s.maxHistoryBodies = n }
}

// withBeforeRename installs a hook that runs between writing a temp file and
// renaming it over its target; tests use it to simulate a crash.
func withBeforeRename(h func(tmpPath string) error) Option {
	return func(s *Store) { s.writer.BeforeRename = h }
}

// Open loads the store in dir, creating dir (0700) if needed.
//
// Open only fails when dir itself cannot be created or read. Problems with
// the files are not errors: a corrupt file or one from a newer version is set
// aside and replaced by defaults, an older version is migrated, looser
// permissions are tightened to 0700/0600, and temp files left by a crash are
// removed. Each such event is reported by Notices.
func Open(dir string, opts ...Option) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: no directory given")
	}
	s := &Store{
		dir: dir,
		now: time.Now,
		log: slog.Default(),

		maxHistoryBodies: MaxHistoryBodies,
	}
	for _, o := range opts {
		o(s)
	}
	if s.secrets == nil {
		s.secrets = NewMemorySecrets()
	}
	if err := os.MkdirAll(dir, atomicfile.DirMode); err != nil {
		return nil, fmt.Errorf("create the settings folder %s: %w", dir, err)
	}
	names := []string{ProfilesFile, SettingsFile, HistoryFile}
	if changed, err := atomicfile.Tighten(dir, atomicfile.DirMode); err != nil {
		return nil, err
	} else if changed {
		s.notify(Notice{Code: NoticePermissionsFixed, File: dir,
			Message: "The settings folder could be read by other users; it is now private to you (0700)."})
	}
	if err := atomicfile.RemoveStale(dir, names); err != nil {
		return nil, err
	}
	for _, name := range names {
		p := filepath.Join(dir, name)
		if changed, err := atomicfile.Tighten(p, atomicfile.FileMode); err != nil {
			return nil, err
		} else if changed {
			s.notify(Notice{Code: NoticePermissionsFixed, File: p,
				Message: fmt.Sprintf("%s could be read by other users; it is now private to you (0600).", name)})
		}
	}

	s.profiles = s.loadProfiles()
	s.settings = s.loadSettings()
	s.history = s.loadHistory()
	return s, nil
}

// Dir returns the directory the store reads and writes.
func (s *Store) Dir() string { return s.dir }

// Secrets returns the secret store this Store uses, for the app to read and
// write client secrets and kept refresh tokens.
func (s *Store) Secrets() Secrets { return s.secrets }

// Notices returns what the user should be told about loading the store
// (files set aside, migrated or tightened), oldest first. The list is a copy.
func (s *Store) Notices() []Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notice(nil), s.notices...)
}

// notify records n and logs it. Callers hold s.mu or are in Open.
func (s *Store) notify(n Notice) {
	s.notices = append(s.notices, n)
	s.log.Warn("store notice", "notice", n)
}

func (s *Store) path(name string) string { return filepath.Join(s.dir, name) }
