package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// ExportKind identifies a PKCE Desk profile export file.
const ExportKind = "pkce-desk/profiles"

// exportFile is the JSON of ExportProfiles and ImportProfiles.
type exportFile struct {
	SchemaVersion int       `json:"schema_version"`
	Kind          string    `json:"kind"`
	ExportedAt    time.Time `json:"exported_at"`
	Profiles      []Profile `json:"profiles"`
}

// ExportProfiles returns the profiles with the given IDs (all of them when
// ids is empty) as a JSON document to share or back up.
//
// The export never contains a secret: secrets are not in profiles to begin
// with, and HasClientSecret is cleared, so the importer is asked for the
// client secret. Confirmed origins (TrustedOrigins) are left out too: trust
// is the importer's own decision. The built-in demo profile is never
// exported (every copy of PKCE Desk has its own). An unknown ID is an error
// wrapping ErrProfileNotFound.
func (s *Store) ExportProfiles(ids []string) ([]byte, error) {
	s.mu.Lock()
	var picked []Profile
	if len(ids) == 0 {
		picked = cloneProfiles(s.profiles)
	} else {
		for _, id := range ids {
			i := s.indexLocked(id)
			if i < 0 {
				s.mu.Unlock()
				return nil, fmt.Errorf("export: %w: %q", ErrProfileNotFound, id)
			}
			picked = append(picked, s.profiles[i].Clone())
		}
	}
	now := s.now().UTC()
	s.mu.Unlock()

	out := exportFile{SchemaVersion: ProfilesSchemaVersion, Kind: ExportKind, ExportedAt: now, Profiles: []Profile{}}
	for _, p := range picked {
		if p.BuiltIn {
			continue
		}
		p.HasClientSecret = false
		p.TrustedOrigins = nil
		out.Profiles = append(out.Profiles, p)
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return append(data, '\n'), nil
}
