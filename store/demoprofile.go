package store

import "errors"

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
