package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"pkcedesk/internal/origin"
)

// TrustEndpointOrigins records that the user confirmed origins for profile
// id's endpoint overrides, and returns the saved profile. It is the only way
// origins enter TrustedOrigins.
//
// Each origin may be given as an origin or any URL at it ("https://Proxy.
// example:443/x" means https://proxy.example) and must be one of the
// profile's ForeignOrigins right now; otherwise nothing is saved and the
// error names the origin and the ones that could be confirmed. Origins
// already trusted are kept once.
func (s *Store) TrustEndpointOrigins(id string, origins []string) (Profile, error) {
	if len(origins) == 0 {
		return Profile{}, errors.New("no origin to confirm was given")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.indexLocked(id)
	if i < 0 {
		return Profile{}, fmt.Errorf("%w: %q", ErrProfileNotFound, id)
	}
	p := s.profiles[i].Clone()
	foreign := p.ForeignOrigins()
	for _, raw := range origins {
		o, ok := origin.Parse(raw)
		if !ok || !slices.Contains(foreign, o.String()) {
			return Profile{}, notForeignError(p, raw, foreign)
		}
		if !slices.Contains(p.TrustedOrigins, o.String()) {
			p.TrustedOrigins = append(p.TrustedOrigins, o.String())
		}
	}
	p.UpdatedAt = s.now().UTC()
	ps := cloneProfiles(s.profiles)
	ps[i] = p
	if err := s.saveProfilesLocked(ps); err != nil {
		return Profile{}, err
	}
	return p.Clone(), nil
}

// notForeignError says why raw cannot be confirmed for p.
func notForeignError(p Profile, raw string, foreign []string) error {
	if len(foreign) == 0 {
		return fmt.Errorf("profile %q has no endpoint outside its issuer's origin, so there is nothing to confirm (%q was given); reload the profile", p.Name, raw)
	}
	return fmt.Errorf("%q is not an origin that profile %q's endpoint overrides point to outside its issuer; only %s can be confirmed — reload the profile, its endpoints may have changed",
		raw, p.Name, strings.Join(foreign, ", "))
}
