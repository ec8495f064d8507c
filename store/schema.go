package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// SchemaVersion is the version of settings.json and history.json this build
// writes. Each file carries its version as "schema_version"; files without it
// are version 0.
const SchemaVersion = 1

// ProfilesSchemaVersion is the version of profiles.json and of profile
// exports this build writes. Version 2 added the sign-in method (Grant), the
// hosted redirect URI and the device authorization endpoint; a version-1
// file reads as version 2 with those empty (the code grant with a loopback
// redirect, all there was), and is written as version 2 at the next save.
// Versions are per file so that a build that predates a field refuses the
// file instead of dropping the field when it saves: a profile whose grant
// an older build ignored would silently sign in another way.
const ProfilesSchemaVersion = 2

// errNewerVersion marks a file written by a newer build.
type errNewerVersion struct{ version, newest int }

func (e errNewerVersion) Error() string {
	return fmt.Sprintf("schema_version %d is newer than this version of PKCE Desk understands (%d)", e.version, e.newest)
}

// decodeFunc turns file content of a given schema version into the in-memory
// value; it returns an error when the content does not fit that version.
type decodeFunc func(version int, data []byte) error

// decodeVersioned checks that data is one JSON object, reads its
// schema_version and calls decode, rejecting versions newer than
// SchemaVersion.
func decodeVersioned(data []byte, decode decodeFunc) error {
	return decodeVersionedUpTo(data, SchemaVersion, decode)
}

// decodeVersionedUpTo is decodeVersioned for a file whose newest version
// is newest.
func decodeVersionedUpTo(data []byte, newest int, decode decodeFunc) error {
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
	if version > newest {
		return errNewerVersion{version, newest}
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
