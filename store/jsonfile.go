package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"pkcedesk/internal/regularfile"
)

// The store's files on disk: each is one schema-versioned JSON object (see
// schema.go), read whole as a capped regular file and written atomically
// (internal/atomicfile); one that cannot be used is set aside, never lost.

// maxFileBytes caps how much of one store file is read. History is the largest
// file (bodies are capped at apiclient.RecordBodyLimit, entries per profile at
// MaxHistoryPerProfile); anything bigger than this was not written by us.
const maxFileBytes = 256 << 20

// loadFile reads name and hands it to decode. It reports whether decode
// succeeded. A missing file is not a problem (false, no notice). A file that
// cannot be read, is not JSON, has an unknown version or fails decode is set
// aside with a notice; the caller then uses defaults.
func (s *Store) loadFile(name string, decode decodeFunc) bool {
	return s.loadFileUpTo(name, SchemaVersion, decode)
}

// loadFileUpTo is loadFile for a file whose newest version is newest.
func (s *Store) loadFileUpTo(name string, newest int, decode decodeFunc) bool {
	path := s.path(name)
	data, err := regularfile.Read(path, maxFileBytes)
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	if err == nil {
		err = decodeVersionedUpTo(data, newest, decode)
	}
	if err == nil {
		return true
	}

	var newer errNewerVersion
	code, reason, what := NoticeCorruptFile, "corrupt", "could not be read"
	if errors.As(err, &newer) {
		code, reason, what = NoticeNewerVersion, fmt.Sprintf("v%d", newer.version), "was saved by a newer version of PKCE Desk"
	}
	s.log.Warn("store file unreadable", "file", path, "error", err)
	moved, merr := s.setAside(path, reason)
	if merr != nil {
		s.notify(Notice{Code: code, File: path,
			Message: fmt.Sprintf("%s %s (%v) and could not be moved aside (%v); PKCE Desk started with defaults and will overwrite it on the next save.", name, what, err, merr)})
		return false
	}
	s.notify(Notice{Code: code, File: path, MovedTo: moved,
		Message: fmt.Sprintf("%s %s (%v). It was kept as %s and PKCE Desk started with defaults.", name, what, err, filepath.Base(moved))})
	return false
}

// setAside renames path to "<path>.<reason>-<UTC time>" (adding -2, -3, … if
// that exists) and returns the new path.
func (s *Store) setAside(path, reason string) (string, error) {
	stamp := s.now().UTC().Format("20060102T150405Z")
	base := path + "." + reason + "-" + stamp
	for i := 1; i <= 100; i++ {
		target := base
		if i > 1 {
			target = fmt.Sprintf("%s-%d", base, i)
		}
		if _, err := os.Lstat(target); err == nil {
			continue
		}
		if err := os.Rename(path, target); err != nil {
			return "", fmt.Errorf("set aside %s: %w", filepath.Base(path), err)
		}
		return target, nil
	}
	return "", fmt.Errorf("set aside %s: too many earlier copies", filepath.Base(path))
}

// saveJSON writes v as indented JSON to name, atomically.
func (s *Store) saveJSON(name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	return s.saveBytes(name, data)
}

// saveJSONCompact writes v as compact JSON to name, atomically.
func (s *Store) saveJSONCompact(name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	return s.saveBytes(name, data)
}

func (s *Store) saveBytes(name string, data []byte) error {
	data = append(data, '\n')
	if err := s.writer.Write(s.path(name), data); err != nil {
		return fmt.Errorf("save %s in %s: %w", name, s.dir, err)
	}
	return nil
}
