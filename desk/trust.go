package desk

import (
	"errors"

	"pkcedesk/internal/authparams"
	"pkcedesk/view"
)

// TrustEndpointOrigins adds origins to the profile's confirmed origins, so
// the next sign-in may use endpoint overrides that point there.
func (d *Desk) TrustEndpointOrigins(profileID string, origins []string) (view.Profile, error) {
	return view.Profile{}, errors.New("confirming endpoint origins is not available in this build yet")
}

// ReservedParams are the parameter names the sign-in sets itself, which a
// profile's extra parameters may not use (the editor refuses them as typed).
func (d *Desk) ReservedParams() []string { return authparams.Reserved() }
