package store

import (
	"fmt"
	"strings"
)

// profilesFile is profiles.json in the current schema.
type profilesFile struct {
	SchemaVersion int       `json:"schema_version"`
	Profiles      []Profile `json:"profiles"`
}

func (s *Store) loadProfiles() []Profile {
	var profiles []Profile
	var original []byte // the pre-migration file, when migrated
	ok := s.loadFileUpTo(ProfilesFile, ProfilesSchemaVersion, func(version int, data []byte) error {
		switch version {
		case 0:
			ps, err := migrateProfilesV0(data)
			if err != nil {
				return err
			}
			profiles, original = ps, data
			return nil
		case 1, 2:
			// Version 1 is version 2 without the fields 2 added, whose
			// zero values mean what version 1 did (see
			// ProfilesSchemaVersion): the next save writes it as 2.
			var f profilesFile
			if err := strictUnmarshal(data, &f); err != nil {
				return fmt.Errorf("not a valid profiles file: %w", err)
			}
			profiles = f.Profiles
			return nil
		}
		return fmt.Errorf("schema_version %d is not known", version)
	})
	if !ok {
		return nil
	}
	// Repair what a hand edit may have broken: IDs must be present, unique
	// and keychain-safe, and only one profile can be the built-in demo.
	seen := map[string]bool{}
	for i := range profiles {
		p := &profiles[i]
		if !validID(p.ID) || seen[p.ID] {
			p.ID = newID("p-")
		}
		seen[p.ID] = true
		if !IsBuiltInID(p.ID) {
			p.BuiltIn = false
		}
	}
	// After the ID repair, so a moved client secret is kept under the final ID.
	dropped := s.dropReservedParams(profiles)
	switch {
	case original != nil:
		if dropped {
			original = scrubV0Secrets(original)
		}
		s.finishMigration(original, profiles)
	case dropped:
		if err := s.saveJSON(ProfilesFile, profilesFile{SchemaVersion: ProfilesSchemaVersion, Profiles: profiles}); err != nil {
			s.log.Warn("could not rewrite profiles without their reserved parameters", "error", err)
			s.notify(Notice{Code: NoticeReservedParamsRemoved, File: s.path(ProfilesFile),
				Message: fmt.Sprintf("%s could not be rewritten without those parameters (%v); PKCE Desk will try again at the next save.", ProfilesFile, err)})
		}
	}
	return profiles
}

// saveProfilesLocked writes ps as profiles.json and, only if that worked,
// makes ps the in-memory state. Callers hold s.mu.
func (s *Store) saveProfilesLocked(ps []Profile) error {
	if err := s.saveJSON(ProfilesFile, profilesFile{SchemaVersion: ProfilesSchemaVersion, Profiles: ps}); err != nil {
		return err
	}
	s.profiles = ps
	return nil
}

func (s *Store) indexLocked(id string) int {
	for i, p := range s.profiles {
		if p.ID == id {
			return i
		}
	}
	return -1
}

// Profiles returns all profiles in display order (the built-in demo first,
// then in the order they were created). The result is a deep copy.
func (s *Store) Profiles() []Profile {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Profile, 0, len(s.profiles))
	for _, p := range s.profiles {
		if p.BuiltIn {
			out = append(out, p.Clone())
		}
	}
	for _, p := range s.profiles {
		if !p.BuiltIn {
			out = append(out, p.Clone())
		}
	}
	return out
}

// Profile returns a copy of the profile with the given ID, or an error
// wrapping ErrProfileNotFound.
func (s *Store) Profile(id string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.indexLocked(id); i >= 0 {
		return s.profiles[i].Clone(), nil
	}
	return Profile{}, fmt.Errorf("%w: %q", ErrProfileNotFound, id)
}

// SaveProfile validates p, fills defaults, and creates or replaces it on disk.
// Surrounding spaces are trimmed from the name, client ID and URLs.
//
// An empty ID creates a new profile with a fresh ID and CreatedAt; otherwise
// the profile with that ID is replaced (CreatedAt and BuiltIn are kept from
// the stored one; a caller cannot make a profile built-in). UpdatedAt is set
// to now. A profile that fails Validate is not saved: the error is a
// *ValidationError listing every problem. The saved profile is returned.
//
// p.TrustedOrigins is ignored: a new profile starts with none, and a
// replaced one keeps its stored list, emptied when the issuer changed and
// pruned to origins an endpoint override still uses (TrustEndpointOrigins
// is the only way to add one).
func (s *Store) SaveProfile(p Profile) (Profile, error) {
	p = p.WithDefaults()
	p.Name = strings.TrimSpace(p.Name)
	p.Issuer = strings.TrimSpace(p.Issuer)
	p.ClientID = strings.TrimSpace(p.ClientID)
	e := &p.Endpoints
	for _, f := range []*string{&e.Authorization, &e.Token, &e.UserInfo, &e.Revocation, &e.Introspection, &e.EndSession, &e.JWKS,
		&e.DeviceAuthorization, &p.HostedRedirectURI} {
		*f = strings.TrimSpace(*f)
	}
	p.APIBase = strings.TrimSpace(p.APIBase)
	if errs := p.Validate(); len(errs) > 0 {
		return Profile{}, &ValidationError{Fields: errs}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC()
	ps := cloneProfiles(s.profiles)
	if p.ID == "" {
		p.ID = newID("p-")
		p.BuiltIn = false
		p.TrustedOrigins = nil
		p.CreatedAt = now
		p.UpdatedAt = now
		ps = append(ps, p)
	} else {
		i := s.indexLocked(p.ID)
		if i < 0 {
			return Profile{}, fmt.Errorf("%w: %q (it may have been deleted; save it as a new profile)", ErrProfileNotFound, p.ID)
		}
		p.BuiltIn = s.profiles[i].BuiltIn
		p.TrustedOrigins = keptTrust(s.profiles[i], p)
		p.CreatedAt = s.profiles[i].CreatedAt
		p.UpdatedAt = now
		ps[i] = p
	}
	if err := s.saveProfilesLocked(ps); err != nil {
		return Profile{}, err
	}
	return p.Clone(), nil
}

// DeleteProfile removes a profile together with its secrets (client secret,
// kept refresh token) and its request history. The built-in demo profile is
// refused with ErrBuiltIn.
//
// Secrets go first: if the keychain refuses, the profile is kept (and the
// error says so), so no secret is ever left behind without a profile that
// points at it. If the deleted profile was selected, the selection moves to
// the demo profile.
func (s *Store) DeleteProfile(id string) error {
	s.mu.Lock()
	i := s.indexLocked(id)
	if i < 0 {
		s.mu.Unlock()
		return fmt.Errorf("%w: %q", ErrProfileNotFound, id)
	}
	if s.profiles[i].BuiltIn {
		s.mu.Unlock()
		return ErrBuiltIn
	}
	name := s.profiles[i].Name
	s.mu.Unlock()

	// The keychain may wait on an unlock prompt: do not hold the lock.
	if err := s.secrets.DeleteAll(id); err != nil {
		return fmt.Errorf("delete the secrets of profile %q; the profile was kept so you can try again: %w", name, err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if i = s.indexLocked(id); i < 0 {
		return nil // deleted meanwhile by another call
	}
	ps := cloneProfiles(s.profiles)
	ps = append(ps[:i], ps[i+1:]...)
	if err := s.saveProfilesLocked(ps); err != nil {
		return err
	}
	if err := s.clearHistoryLocked(id); err != nil {
		return fmt.Errorf("profile deleted, but its history could not be removed: %w", err)
	}
	if s.settings.SelectedProfileID == id {
		next := s.settings
		next.SelectedProfileID = ""
		if s.indexLocked(DemoProfileID) >= 0 {
			next.SelectedProfileID = DemoProfileID
		} else if len(s.profiles) > 0 {
			next.SelectedProfileID = s.profiles[0].ID
		}
		if err := s.saveSettingsLocked(next); err != nil {
			return fmt.Errorf("profile deleted, but the selection could not be saved: %w", err)
		}
	}
	return nil
}

// DuplicateProfile saves a copy of profile id named "Copy of <name>" with a
// new ID and returns it. The copy is never built-in and gets no secrets:
// HasClientSecret is false, so a copy of a profile that needs a client secret
// asks for it again (its Validate reports the missing secret). It gets no
// confirmed origins either: its first sign-in asks again.
func (s *Store) DuplicateProfile(id string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.indexLocked(id)
	if i < 0 {
		return Profile{}, fmt.Errorf("%w: %q", ErrProfileNotFound, id)
	}
	now := s.now().UTC()
	p := s.profiles[i].Clone()
	p.ID = newID("p-")
	p.Name = "Copy of " + p.Name
	p.BuiltIn = false
	p.HasClientSecret = false
	p.TrustedOrigins = nil
	p.CreatedAt, p.UpdatedAt = now, now
	ps := append(cloneProfiles(s.profiles), p)
	if err := s.saveProfilesLocked(ps); err != nil {
		return Profile{}, err
	}
	return p.Clone(), nil
}

func cloneProfiles(ps []Profile) []Profile {
	out := make([]Profile, len(ps))
	for i, p := range ps {
		out[i] = p.Clone()
	}
	return out
}
