package desk

import (
	"pkcedesk/internal/authparams"
	"pkcedesk/view"
)

// TrustEndpointOrigins records the user's yes to endpoint origins outside
// the profile's issuer — the origins a sign-in's "foreign_endpoints" error
// named — and returns the updated profile. Each origin must be one that an
// endpoint override of the stored profile points to outside its issuer's
// origin right now; otherwise nothing changes and the error names what can
// be confirmed. The next SignIn then goes on with those endpoints.
func (d *Desk) TrustEndpointOrigins(profileID string, origins []string) (view.Profile, error) {
	if err := d.ready(); err != nil {
		return view.Profile{}, err
	}
	p, err := d.st().TrustEndpointOrigins(profileID, origins)
	if err != nil {
		return view.Profile{}, err
	}
	d.log.Info("endpoint origins confirmed", "profile", profileID, "origins", origins)
	d.emit(EventProfiles, nil)
	return profileView(d.withDemo(p), d.status(p.ID)), nil
}

// ReservedParams are the parameter names the sign-in sets itself, which a
// profile's extra parameters may not use (the editor refuses them as typed).
func (d *Desk) ReservedParams() []string { return authparams.Reserved() }
