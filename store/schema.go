package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// SchemaVersion is the version of the JSON files this build writes. Each file
// carries it as "schema_version"; files without it are version 0.
const SchemaVersion = 1

// errNewerVersion marks a file written by a newer build.
type errNewerVersion struct{ version int }

func (e errNewerVersion) Error() string {
	return fmt.Sprintf("schema_version %d is newer than this version of PKCE Desk understands (%d)", e.version, SchemaVersion)
}

// decodeFunc turns file content of a given schema version into the in-memory
// value; it returns an error when the content does not fit that version.
type decodeFunc func(version int, data []byte) error

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
