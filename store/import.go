package store

import (
	"fmt"
	"strings"
)

// Import limits.
const (
	// MaxImportBytes is the largest import file accepted (1 MiB).
	MaxImportBytes = 1 << 20
	// MaxImportProfiles is the most profiles one import may hold.
	MaxImportProfiles = 500
)

// ImportResult is what happened to one profile of an import file.
type ImportResult struct {
	// Name is the profile's name as it appeared in the file.
	Name string `json:"name"`
	// ImportedID is the new profile's ID, or "" when it was skipped.
	ImportedID string `json:"imported_id"`
	// Problems says why it was skipped or, for an imported profile, what the
	// user still has to do (for example enter the client secret).
	Problems []string `json:"problems,omitempty"`
	// Notes name, for an imported profile, what it does that the user should
	// look at before the first sign-in: its own CA bundle and every endpoint
	// override, flagging those outside the issuer's origin (see importNotes).
	Notes []string `json:"notes,omitempty"`
}

// ImportProfiles adds the profiles of an ExportProfiles document.
//
// The whole file is refused — nothing imported — when it is larger than
// MaxImportBytes (ErrImportTooLarge), not JSON, not a PKCE Desk export, from a
// newer version or holds more than MaxImportProfiles (ErrImportFormat). Then
// each profile is checked on its own: one that fails Validate is skipped and
// its problems reported; the others are added with fresh IDs (an import never
// replaces an existing profile), never as built-in, and a name already in use
// gets " (imported)" appended. Secrets are never imported; a profile whose auth
// method needs a client secret is added with a problem saying to enter it.
// Confirmed origins are never imported either (TrustedOrigins starts empty: a
// hostile file could carry them), and each imported profile's CA bundle and
// endpoint overrides are listed in its Notes.
func (s *Store) ImportProfiles(data []byte) ([]ImportResult, error) {
	if len(data) > MaxImportBytes {
		return nil, fmt.Errorf("%w: %d KiB, the limit is %d KiB", ErrImportTooLarge, len(data)>>10, MaxImportBytes>>10)
	}
	var f exportFile
	if err := strictUnmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: it is not valid JSON (%v)", ErrImportFormat, err)
	}
	switch {
	case f.Kind != ExportKind:
		return nil, fmt.Errorf("%w: expected \"kind\": %q", ErrImportFormat, ExportKind)
	case f.SchemaVersion > ProfilesSchemaVersion:
		return nil, fmt.Errorf("%w: it was exported by a newer version of PKCE Desk (schema_version %d); update PKCE Desk to import it", ErrImportFormat, f.SchemaVersion)
	case f.SchemaVersion < 1:
		return nil, fmt.Errorf("%w: schema_version %d is not valid", ErrImportFormat, f.SchemaVersion)
	case len(f.Profiles) == 0:
		return nil, fmt.Errorf("%w: it holds no profiles", ErrImportFormat)
	case len(f.Profiles) > MaxImportProfiles:
		return nil, fmt.Errorf("%w: it holds %d profiles, the limit is %d", ErrImportFormat, len(f.Profiles), MaxImportProfiles)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	names := map[string]bool{}
	for _, p := range s.profiles {
		names[strings.ToLower(p.Name)] = true
	}
	now := s.now().UTC()
	ps := cloneProfiles(s.profiles)
	results := make([]ImportResult, 0, len(f.Profiles))
	for _, in := range f.Profiles {
		res := ImportResult{Name: in.Name}
		p := in.WithDefaults()
		p.Name = strings.TrimSpace(p.Name)
		p.BuiltIn = false
		p.HasClientSecret = false
		p.TrustedOrigins = nil
		if p.Preset == DemoPresetID {
			res.Problems = append(res.Problems, "This is a copy of the built-in demo profile, which every PKCE Desk already has; it was skipped.")
			results = append(results, res)
			continue
		}
		if errs := p.validate(false); len(errs) > 0 {
			for _, e := range errs {
				res.Problems = append(res.Problems, e.Error())
			}
			results = append(results, res)
			continue
		}
		if names[strings.ToLower(p.Name)] {
			p.Name += " (imported)"
		}
		names[strings.ToLower(p.Name)] = true
		p.ID = newID("p-")
		p.CreatedAt, p.UpdatedAt = now, now
		if p.AuthMethod.NeedsSecret() {
			res.Problems = append(res.Problems, "Enter the client secret: secrets are never exported.")
		}
		res.ImportedID = p.ID
		res.Notes = importNotes(in, p)
		ps = append(ps, p)
		results = append(results, res)
	}
	if len(ps) != len(s.profiles) {
		if err := s.saveProfilesLocked(ps); err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
	}
	return results, nil
}
