package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"pkcedesk/internal/regularfile"
)

// SchemaVersion is the version of the JSON files this build writes. Each file
// carries it as "schema_version"; files without it are version 0.
const SchemaVersion = 1

// maxFileBytes caps how much of one store file is read. History is the largest
// file (bodies are capped at apiclient.RecordBodyLimit, entries per profile at
// MaxHistoryPerProfile); anything bigger than this was not written by us.
const maxFileBytes = 256 << 20

// errNewerVersion marks a file written by a newer build.
type errNewerVersion struct{ version int }

func (e errNewerVersion) Error() string {
	return fmt.Sprintf("schema_version %d is newer than this version of PKCE Desk understands (%d)", e.version, SchemaVersion)
}

// decodeFunc turns file content of a given schema version into the in-memory
// value; it returns an error when the content does not fit that version.
type decodeFunc func(version int, data []byte) error

// loadFile reads name and hands it to decode. It reports whether decode
// succeeded. A missing file is not a problem (false, no notice). A file that
// cannot be read, is not JSON, has an unknown version or fails decode is set
// aside with a notice; the caller then uses defaults.
func (s *Store) loadFile(name string, decode decodeFunc) bool {
	path := s.path(name)
	data, err := regularfile.Read(path, maxFileBytes)
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	if err == nil {
		err = decodeVersioned(data, decode)
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

// decodeVersioned checks that data is one JSON object, reads its
// schema_version and calls decode, rejecting versions newer than ours.
func decodeVersioned(data []byte, decode decodeFunc) error {
	var head struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	version := 0
	if head.SchemaVersion != nil {
		version = *head.SchemaVersion
	}
	if version > SchemaVersion {
		return errNewerVersion{version}
	}
	if version < 0 {
		return fmt.Errorf("schema_version %d is not valid", version)
	}
	return decode(version, data)
}

// strictUnmarshal decodes one JSON value and fails on trailing data.
func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
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
