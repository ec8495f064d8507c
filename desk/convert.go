package desk

import (
	"pkcedesk/internal/origin"
	"pkcedesk/store"
	"pkcedesk/view"
)

// profileView turns a stored profile into the editor's shape. The client
// secret never leaves the keychain: only HasClientSecret travels. The
// foreign endpoints and confirmed origins go along read-only: profileFromView
// never reads them back.
func profileView(p store.Profile, status string) view.Profile {
	params := mapSlice(p.Params, func(kv store.Param) view.KV { return view.KV{Key: kv.Key, Value: kv.Value, Enabled: true} })
	return view.Profile{
		ID: p.ID, Name: p.Name, Preset: p.Preset, BuiltIn: p.BuiltIn, Issuer: p.Issuer,
		// store, view and auth spell the endpoints with the same fields in
		// the same order, so a conversion copies them all (and a field added
		// to one only stops the build here).
		Endpoints: view.Endpoints(p.Endpoints),
		ClientID:  p.ClientID, AuthMethod: string(p.AuthMethod), HasClientSecret: p.HasClientSecret,
		Scopes: append([]string{}, p.Scopes...), Params: params,
		Grant: string(p.EffectiveGrant()), RedirectURI: p.HostedRedirectURI,
		RedirectHost: p.RedirectHost, RedirectPort: p.RedirectPort, RedirectPath: p.RedirectPath,
		TimeoutSeconds: p.TimeoutSeconds, CAFile: p.CAFile, KeepSignedIn: p.KeepSignedIn,
		APIBase: p.APIBase, Status: status,
		ForeignEndpoints: foreignView(p), TrustedOrigins: append([]string{}, p.TrustedOrigins...),
	}
}

// foreignView lists p's endpoint overrides outside the issuer's origin.
func foreignView(p store.Profile) []view.ForeignEndpoint {
	return mapSlice(p.ForeignEndpoints(), func(e origin.Endpoint) view.ForeignEndpoint {
		return view.ForeignEndpoint{Name: e.Name, URL: e.URL, Origin: e.Origin}
	})
}

// nonNil returns ss, or an empty slice for nil, so the frontend gets [] and
// not null.
func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// profileFromView is the inverse of profileView. Disabled parameter rows
// are dropped; a typed client secret marks HasClientSecret (the caller
// stores the value in the keychain).
func profileFromView(v view.Profile) store.Profile {
	var params []store.Param
	for _, kv := range v.Params {
		if kv.Enabled && kv.Key != "" {
			params = append(params, store.Param{Key: kv.Key, Value: kv.Value})
		}
	}
	return store.Profile{
		ID: v.ID, Name: v.Name, Preset: v.Preset, BuiltIn: v.BuiltIn, Issuer: v.Issuer,
		Endpoints: store.Endpoints(v.Endpoints),
		ClientID:  v.ClientID, AuthMethod: store.AuthMethod(v.AuthMethod),
		HasClientSecret: v.HasClientSecret || v.ClientSecret != "",
		Scopes:          append([]string{}, v.Scopes...), Params: params,
		Grant: store.Grant(v.Grant), HostedRedirectURI: v.RedirectURI,
		RedirectHost: v.RedirectHost, RedirectPort: v.RedirectPort, RedirectPath: v.RedirectPath,
		TimeoutSeconds: v.TimeoutSeconds, CAFile: v.CAFile, KeepSignedIn: v.KeepSignedIn,
		APIBase: v.APIBase,
	}
}

func fieldErrors(fs []store.FieldError) []view.FieldError {
	return mapSlice(fs, func(f store.FieldError) view.FieldError { return view.FieldError{Field: f.Field, Message: f.Message} })
}

// mapSlice returns f of each element, in order; never nil, so the frontend
// gets [] and not null.
func mapSlice[From, To any](in []From, f func(From) To) []To {
	out := make([]To, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}
