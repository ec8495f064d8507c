package store

import (
	"fmt"
	"slices"
)

// DemoProfileID is the fixed ID of the built-in demo profile.
const DemoProfileID = "demo"

// The fixed IDs of the other built-in demo profiles, one per grant, so each
// can be shown with no account anywhere.
const (
	// DemoDeviceProfileID signs in to the demo with the device grant.
	DemoDeviceProfileID = "demo-device"
	// DemoServiceProfileID gets the demo service account's token with the
	// client credentials grant.
	DemoServiceProfileID = "demo-service"
)

// DemoServiceClientID is the demo provider's confidential client, a service
// account (client credentials, token exchange). Its secret is the running
// demo provider's own (demo.Server), never stored: the app hands it to the
// sign-in in memory.
const DemoServiceClientID = "pkce-desk-service"

// IsBuiltInID reports whether id is one of the built-in demo profiles' IDs.
func IsBuiltInID(id string) bool {
	return id == DemoProfileID || id == DemoDeviceProfileID || id == DemoServiceProfileID
}

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

// DemoDeviceProfile returns the template of the built-in profile that signs
// in to the demo provider with the device grant (RFC 8628): the same public
// client as DemoProfile, no redirect.
func DemoDeviceProfile(issuer string) Profile {
	p := DemoProfile(issuer)
	p.ID, p.Name, p.Grant = DemoDeviceProfileID, "Demo provider — device code", GrantDevice
	return p
}

// DemoServiceProfile returns the template of the built-in profile that gets
// the demo service account's token with the client credentials grant
// (RFC 6749 §4.4): a confidential client with the demo API's scopes.
// HasClientSecret is true because the secret is always at hand (from the
// running demo provider, not the keychain).
func DemoServiceProfile(issuer string) Profile {
	p := DemoProfile(issuer)
	p.ID, p.Name, p.Grant = DemoServiceProfileID, "Demo service account", GrantClientCredentials
	p.ClientID, p.AuthMethod, p.HasClientSecret = DemoServiceClientID, AuthClientSecretBasic, true
	p.Scopes = []string{"orders:read", "orders:write"}
	return p
}

// EnsureDemoProfile makes sure the built-in demo profiles exist (DemoProfile,
// DemoDeviceProfile, DemoServiceProfile) and returns the first. On first
// launch (no built-in profile yet) it creates them from issuerPlaceholder
// and, if no profile is selected, selects DemoProfile; a later build that
// adds a built-in adds it the same way at the next launch. Existing built-in
// profiles are left unchanged, including the user's edits to them.
//
// The demo's real issuer is only known at runtime (the demo provider listens
// on an ephemeral port): the app fills it in memory when it starts the demo.
func (s *Store) EnsureDemoProfile(issuerPlaceholder string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var missing []Profile
	for _, tmpl := range []func(string) Profile{DemoProfile, DemoDeviceProfile, DemoServiceProfile} {
		want := tmpl(issuerPlaceholder)
		if i := s.indexLocked(want.ID); i >= 0 {
			if !s.profiles[i].BuiltIn {
				return Profile{}, fmt.Errorf("a profile uses the reserved ID %q but is not a built-in demo; rename it in profiles.json", want.ID)
			}
			continue
		}
		missing = append(missing, want)
	}
	if len(missing) == 0 {
		return s.profiles[s.indexLocked(DemoProfileID)].Clone(), nil
	}
	now := s.now().UTC()
	for i := range missing {
		missing[i].CreatedAt, missing[i].UpdatedAt = now, now
	}
	ps := append(missing, cloneProfiles(s.profiles)...)
	// Built-ins in their fixed order, then the rest as they were.
	slices.SortStableFunc(ps, func(a, b Profile) int { return builtInRank(a) - builtInRank(b) })
	if err := s.saveProfilesLocked(ps); err != nil {
		return Profile{}, err
	}
	p := s.profiles[s.indexLocked(DemoProfileID)]
	if s.settings.SelectedProfileID == "" || s.indexLocked(s.settings.SelectedProfileID) < 0 {
		next := s.settings
		next.SelectedProfileID = DemoProfileID
		if err := s.saveSettingsLocked(next); err != nil {
			return Profile{}, err
		}
	}
	return p.Clone(), nil
}

// builtInRank orders the built-in profiles first, in their fixed order.
func builtInRank(p Profile) int {
	if !p.BuiltIn {
		return 3
	}
	switch p.ID {
	case DemoProfileID:
		return 0
	case DemoDeviceProfileID:
		return 1
	}
	return 2
}
