package store

import (
	"errors"
	"fmt"
	"path/filepath"
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
	ok := s.loadFile(ProfilesFile, func(version int, data []byte) error {
		switch version {
		case 0:
			ps, err := migrateProfilesV0(data)
			if err != nil {
				return err
			}
			profiles, original = ps, data
			return nil
		case 1:
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
		if p.ID != DemoProfileID {
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
		if err := s.saveJSON(ProfilesFile, profilesFile{SchemaVersion: SchemaVersion, Profiles: profiles}); err != nil {
			s.log.Warn("could not rewrite profiles without their reserved parameters", "error", err)
			s.notify(Notice{Code: NoticeReservedParamsRemoved, File: s.path(ProfilesFile),
				Message: fmt.Sprintf("%s could not be rewritten without those parameters (%v); PKCE Desk will try again at the next save.", ProfilesFile, err)})
		}
	}
	return profiles
}

// finishMigration keeps the old file as profiles.json.v0-<time> (so nothing
// is lost if the upgrade misread it) and writes the upgraded profiles. If
// either write fails the upgrade simply happens again at the next start.
func (s *Store) finishMigration(original []byte, profiles []Profile) {
	backup := s.path(ProfilesFile) + ".v0-" + s.now().UTC().Format("20060102T150405Z")
	if err := s.writer.Write(backup, original); err != nil {
		s.log.Warn("could not back up profiles before upgrading them", "error", err)
		return
	}
	if err := s.saveJSON(ProfilesFile, profilesFile{SchemaVersion: SchemaVersion, Profiles: profiles}); err != nil {
		s.log.Warn("could not write upgraded profiles", "error", err)
		return
	}
	s.notify(Notice{Code: NoticeMigrated, File: s.path(ProfilesFile), MovedTo: backup,
		Message: fmt.Sprintf("Your %d profile(s) were upgraded to the current file format; the old file was kept as %s.",
			len(profiles), filepath.Base(backup))})
}

// saveProfilesLocked writes ps as profiles.json and, only if that worked,
// makes ps the in-memory state. Callers hold s.mu.
func (s *Store) saveProfilesLocked(ps []Profile) error {
	if err := s.saveJSON(ProfilesFile, profilesFile{SchemaVersion: SchemaVersion, Profiles: ps}); err != nil {
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
	for _, f := range []*string{&e.Authorization, &e.Token, &e.UserInfo, &e.Revocation, &e.Introspection, &e.EndSession, &e.JWKS} {
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

// DemoProfileID is the fixed ID of the built-in demo profile.
const DemoProfileID = "demo"

// DemoPresetID is the preset ID of the demo provider.
const DemoPresetID = "demo"

// DemoClientID is the client ID the embedded demo provider registers for
// PKCE Desk: a public client (auth method none) using PKCE.
const DemoClientID = "pkce-desk-demo"

// DemoIssuerPlaceholder is the issuer stored for the demo profile. The demo
// provider listens on an ephemeral port, so its real issuer is only known
// once it runs; the app replaces the issuer of every profile whose Preset is
// DemoPresetID when it starts the demo, and does not save that value.
const DemoIssuerPlaceholder = "http://127.0.0.1/"

// DemoProfile returns the template of the built-in demo profile with the
// given issuer (DemoIssuerPlaceholder when empty): public client, PKCE, any
// port on 127.0.0.1, scopes openid profile email offline_access.
func DemoProfile(issuer string) Profile {
	if issuer == "" {
		issuer = DemoIssuerPlaceholder
	}
	return Profile{
		ID:             DemoProfileID,
		Name:           "Demo provider",
		Preset:         DemoPresetID,
		BuiltIn:        true,
		Issuer:         issuer,
		ClientID:       DemoClientID,
		AuthMethod:     AuthNone,
		Scopes:         []string{"openid", "profile", "email", "offline_access"},
		RedirectHost:   DefaultRedirectHost,
		RedirectPath:   DefaultRedirectPath,
		TimeoutSeconds: DefaultTimeoutSeconds,
	}
}

// EnsureDemoProfile makes sure the built-in demo profile exists and returns
// it. On first launch (no built-in profile yet) it creates DemoProfile
// (issuerPlaceholder) and, if no profile is selected, selects it. An existing
// demo profile is returned unchanged, including the user's edits to it.
//
// The demo's real issuer is only known at runtime (the demo provider listens
// on an ephemeral port): the app fills it in memory when it starts the demo.
func (s *Store) EnsureDemoProfile(issuerPlaceholder string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.indexLocked(DemoProfileID); i >= 0 {
		if !s.profiles[i].BuiltIn {
			return Profile{}, errors.New("a profile uses the reserved ID \"demo\" but is not the built-in demo; rename it in profiles.json")
		}
		return s.profiles[i].Clone(), nil
	}
	now := s.now().UTC()
	p := DemoProfile(issuerPlaceholder)
	p.CreatedAt, p.UpdatedAt = now, now
	ps := append([]Profile{p}, cloneProfiles(s.profiles)...)
	if err := s.saveProfilesLocked(ps); err != nil {
		return Profile{}, err
	}
	if s.settings.SelectedProfileID == "" || s.indexLocked(s.settings.SelectedProfileID) < 0 {
		next := s.settings
		next.SelectedProfileID = DemoProfileID
		if err := s.saveSettingsLocked(next); err != nil {
			return Profile{}, err
		}
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
