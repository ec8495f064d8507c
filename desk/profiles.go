package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"pkcedesk/auth"
	"pkcedesk/presets"
	"pkcedesk/store"
	"pkcedesk/view"
)

// Profiles lists the saved profiles, the built-in demos first, each with its
// session status for the sidebar; each profile's exchanged sessions
// (ExchangeToken) follow it, named "<name> → exchanged".
func (d *Desk) Profiles() []view.Profile {
	if d.ready() != nil {
		return []view.Profile{}
	}
	ps := d.st().Profiles()
	out := make([]view.Profile, 0, len(ps))
	for _, p := range ps {
		out = append(out, profileView(d.withDemo(p), d.status(p.ID)))
		for _, id := range d.exchangedIDs(p.ID) {
			if xp, ok := d.exchangedProfile(id); ok {
				out = append(out, profileView(xp, d.status(id)))
			}
		}
	}
	return out
}

// SelectedProfile is the id of the profile selected last time.
func (d *Desk) SelectedProfile() string {
	if d.ready() != nil {
		return ""
	}
	return d.st().Settings().SelectedProfileID
}

// SelectProfile remembers the selected profile.
func (d *Desk) SelectProfile(id string) error {
	if err := d.ready(); err != nil {
		return err
	}
	if d.exchangedFrom(id) != "" {
		return nil // transient: there is nothing to select at the next launch
	}
	if _, err := d.st().Profile(id); err != nil {
		return err
	}
	s := d.st().Settings()
	s.SelectedProfileID = id
	_, err := d.st().SaveSettings(s)
	return err
}

// Presets lists the provider presets for a new profile.
func (d *Desk) Presets() []view.Preset {
	ps := presets.List()
	out := make([]view.Preset, 0, len(ps))
	for _, p := range ps {
		needs := make([]string, 0, len(p.Needs))
		for _, n := range p.Needs {
			needs = append(needs, presets.NeedLabel(n))
		}
		out = append(out, view.Preset{ID: p.ID, Name: p.Name, Needs: needs, Notes: p.Notes, Profile: profileView(p.Profile, "")})
	}
	return out
}

// NewProfile returns an unsaved profile prefilled from a preset. Placeholders
// such as {tenant} stay in the URLs for the user to replace; validation
// points at them.
func (d *Desk) NewProfile(presetID string) (view.Profile, error) {
	p, ok := presets.Get(presetID)
	if !ok {
		return view.Profile{}, fmt.Errorf("there is no preset %q", presetID)
	}
	prof := p.Profile
	prof.Name = p.Name
	if presetID == presets.IDDemo {
		prof.Name = "Demo provider (copy)"
		if srv := d.demo.running(); srv != nil {
			prof.Issuer, prof.APIBase = srv.Issuer(), srv.APIBase()
		}
	}
	return profileView(prof.WithDefaults(), view.StatusSignedOut), nil
}

// ValidateProfile checks a profile as the user types.
func (d *Desk) ValidateProfile(v view.Profile) []view.FieldError {
	p := profileFromView(v)
	errs := fieldErrors(p.WithDefaults().Validate())
	for _, ph := range presets.Placeholders(p) {
		errs = append(errs, view.FieldError{Field: "issuer", Message: "Replace " + ph + " with your own value."})
	}
	return errs
}

// SaveProfile validates and saves a profile; a typed client secret goes to
// the keychain, never to the profile file.
func (d *Desk) SaveProfile(v view.Profile) (view.SaveResult, error) {
	if err := d.ready(); err != nil {
		return view.SaveResult{}, err
	}
	if d.exchangedFrom(v.ID) != "" {
		return view.SaveResult{}, errExchangedNotStored
	}
	if errs := d.ValidateProfile(v); len(errs) > 0 {
		return view.SaveResult{Profile: v, Errors: errs}, nil
	}
	p := profileFromView(v).WithDefaults()
	if isDemo(p) {
		if srv := d.demo.running(); srv != nil {
			if p.Issuer == srv.Issuer() {
				p.Issuer = store.DemoIssuerPlaceholder
			}
			if p.APIBase == srv.APIBase() {
				p.APIBase = ""
			}
		}
	}
	if v.ClientSecret != "" && !p.AuthMethod.NeedsSecret() {
		return view.SaveResult{Profile: v, Errors: []view.FieldError{{Field: "authMethod",
			Message: "A client secret was entered but the authentication method is none. Choose client_secret_post or client_secret_basic, or clear the secret."}}}, nil
	}
	if !p.AuthMethod.NeedsSecret() {
		p.HasClientSecret = false
	}
	saved, err := d.st().SaveProfile(p)
	var verr *store.ValidationError
	if errors.As(err, &verr) {
		return view.SaveResult{Profile: v, Errors: fieldErrors(verr.Fields)}, nil
	}
	if err != nil {
		return view.SaveResult{}, err
	}
	if v.ClientSecret != "" {
		if err := d.st().Secrets().Set(saved.ID, store.ClientSecret, v.ClientSecret); err != nil {
			return view.SaveResult{Profile: profileView(d.withDemo(saved), d.status(saved.ID))},
				fmt.Errorf("the profile was saved, but the client secret could not be stored in the keychain: %w", err)
		}
	} else if !p.HasClientSecret {
		_ = d.st().Secrets().Delete(saved.ID, store.ClientSecret)
	}
	if !saved.KeepSignedIn {
		_ = d.st().Secrets().Delete(saved.ID, store.RefreshToken)
	}
	d.emit(EventProfiles, nil)
	return view.SaveResult{Profile: profileView(d.withDemo(saved), d.status(saved.ID))}, nil
}

// DeleteProfile deletes a profile with its secrets and history, signing it
// out first (revoking its tokens).
func (d *Desk) DeleteProfile(id string) error {
	if err := d.ready(); err != nil {
		return err
	}
	p, err := d.st().Profile(id)
	if err != nil {
		return err
	}
	if p.BuiltIn {
		return errors.New("the built-in demo profile cannot be deleted; duplicate it to make one you can change freely")
	}
	for _, x := range d.exchangedIDs(id) {
		_, _ = d.dropExchanged(d.ctx, x)
	}
	d.CancelSignIn(id)
	if state := d.takeState(id); state != nil {
		state.mu.Lock()
		sess := state.session
		state.mu.Unlock()
		if sess != nil {
			ctx, cancel := context.WithTimeout(d.ctx, opTimeout)
			_ = sess.SignOut(ctx)
			cancel()
		}
	}
	if err := d.st().DeleteProfile(id); err != nil {
		return err
	}
	d.emit(EventProfiles, nil)
	return nil
}

// DuplicateProfile saves a copy of a profile, without its secrets.
func (d *Desk) DuplicateProfile(id string) (view.Profile, error) {
	if err := d.ready(); err != nil {
		return view.Profile{}, err
	}
	p, err := d.st().DuplicateProfile(id)
	if err != nil {
		return view.Profile{}, err
	}
	d.emit(EventProfiles, nil)
	return profileView(d.withDemo(p), view.StatusSignedOut), nil
}

// RedirectURI is the redirect URI to register with the provider: no port
// when the profile uses any port (RFC 8252 §7.3).
func (d *Desk) RedirectURI(v view.Profile) string {
	return profileFromView(v).WithDefaults().RedirectURI()
}

// Discover fetches the issuer's metadata for the profile editor.
// CancelDiscover with the profile's id ends it at any step, from the first
// instant: starting the demo provider and reading the CA bundle run aside.
func (d *Desk) Discover(ctx context.Context, v view.Profile) (view.Discovery, error) {
	ctx, done := d.discovers.start(ctx, v.ID)
	defer done()
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	type prepared struct {
		issuer string
		client *http.Client
	}
	prep, err := aside(ctx, func() (prepared, error) {
		p := profileFromView(v)
		if isDemo(p) || p.Issuer == store.DemoIssuerPlaceholder {
			if srv, err := d.startDemo(); err == nil && (p.Issuer == "" || p.Issuer == store.DemoIssuerPlaceholder) {
				p.Issuer = srv.Issuer()
			}
		}
		if strings.TrimSpace(p.Issuer) == "" {
			return prepared{}, errors.New("enter the issuer URL first, e.g. https://accounts.google.com")
		}
		client, err := d.httpClientFor(p)
		return prepared{strings.TrimSpace(p.Issuer), client}, err
	})
	fail := func(err error) (view.Discovery, error) {
		if errors.Is(ctx.Err(), context.Canceled) {
			return view.Discovery{}, errors.New("discovery canceled")
		}
		return view.Discovery{}, err
	}
	if err != nil {
		return fail(err)
	}
	md, err := auth.Discover(ctx, prep.issuer, prep.client)
	if err != nil {
		return fail(err)
	}
	return discoveryView(md), nil
}

// discoveryView is what the profile editor shows of the metadata.
func discoveryView(md *auth.Metadata) view.Discovery {
	return view.Discovery{
		Issuer: md.Issuer,
		Endpoints: view.Endpoints{
			Authorization: md.AuthorizationEndpoint, Token: md.TokenEndpoint, UserInfo: md.UserInfoEndpoint,
			Revocation: md.RevocationEndpoint, Introspection: md.IntrospectionEndpoint,
			EndSession: md.EndSessionEndpoint, JWKS: md.JWKSURI,
			DeviceAuthorization: md.DeviceAuthorizationEndpoint,
		},
		ScopesSupported: md.ScopesSupported, S256: md.S256Supported(),
		IssParameterSupported: md.AuthorizationResponseIssParameterSupp,
		GrantTypes:            md.GrantTypesSupported, AuthMethods: md.TokenEndpointAuthMethodsSupported,
	}
}

// ExportProfiles writes profiles, without secrets, to a file the user picks.
// It returns the path written, or "" when the user canceled.
func (d *Desk) ExportProfiles(ids []string) (string, error) {
	if err := d.ready(); err != nil {
		return "", err
	}
	data, err := d.st().ExportProfiles(ids)
	if err != nil {
		return "", err
	}
	if d.host.SaveFile == nil {
		return "", errors.New("no file dialog is available")
	}
	path, err := d.host.SaveFile("Export profiles (no secrets)", "pkce-desk-profiles.json")
	if err != nil || path == "" {
		return "", err
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return path, nil
}

// ImportProfiles reads profiles from a file the user picks and reports, per
// profile, whether it was imported or why not.
func (d *Desk) ImportProfiles() (view.ImportResult, error) {
	if err := d.ready(); err != nil {
		return view.ImportResult{}, err
	}
	if d.host.OpenFile == nil {
		return view.ImportResult{}, errors.New("no file dialog is available")
	}
	path, err := d.host.OpenFile("Import profiles")
	if err != nil || path == "" {
		return view.ImportResult{}, err
	}
	return d.importFile(path)
}

func (d *Desk) importFile(path string) (view.ImportResult, error) {
	data, err := d.readFile(path, store.MaxImportBytes)
	if err != nil {
		return view.ImportResult{}, fmt.Errorf("read the import file: %w", err)
	}
	res, err := d.st().ImportProfiles(data)
	if err != nil {
		return view.ImportResult{}, err
	}
	out := view.ImportResult{Path: path}
	for _, r := range res {
		out.Items = append(out.Items, view.ImportItem{Name: r.Name, ImportedID: r.ImportedID,
			Problems: nonNil(r.Problems), Notes: nonNil(r.Notes)})
	}
	d.emit(EventProfiles, nil)
	return out, nil
}

// CancelDiscover ends the running Discover calls for the profile id ("" for
// an unsaved profile).
func (d *Desk) CancelDiscover(profileID string) { d.discovers.cancel(profileID) }
