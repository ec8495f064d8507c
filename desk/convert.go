package desk

import (
	"pkcedesk/store"
	"pkcedesk/view"
)

// profileView turns a stored profile into the editor's shape. The client
// secret never leaves the keychain: only HasClientSecret travels. The
// foreign endpoints and confirmed origins go along read-only: profileFromView
// never reads them back.
func profileView(p store.Profile, status string) view.Profile {
	params := make([]view.KV, 0, len(p.Params))
	for _, kv := range p.Params {
		params = append(params, view.KV{Key: kv.Key, Value: kv.Value, Enabled: true})
	}
	return view.Profile{
		ID: p.ID, Name: p.Name, Preset: p.Preset, BuiltIn: p.BuiltIn, Issuer: p.Issuer,
		Endpoints: view.Endpoints{
			Authorization: p.Endpoints.Authorization, Token: p.Endpoints.Token,
			UserInfo: p.Endpoints.UserInfo, Revocation: p.Endpoints.Revocation,
			Introspection: p.Endpoints.Introspection, EndSession: p.Endpoints.EndSession,
			JWKS: p.Endpoints.JWKS,
		},
		ClientID: p.ClientID, AuthMethod: string(p.AuthMethod), HasClientSecret: p.HasClientSecret,
		Scopes: append([]string{}, p.Scopes...), Params: params,
		RedirectHost: p.RedirectHost, RedirectPort: p.RedirectPort, RedirectPath: p.RedirectPath,
		TimeoutSeconds: p.TimeoutSeconds, CAFile: p.CAFile, KeepSignedIn: p.KeepSignedIn,
		APIBase: p.APIBase, Status: status,
		ForeignEndpoints: foreignView(p), TrustedOrigins: append([]string{}, p.TrustedOrigins...),
	}
}

// foreignView lists p's endpoint overrides outside the issuer's origin.
func foreignView(p store.Profile) []view.ForeignEndpoint {
	fs := p.ForeignEndpoints()
	out := make([]view.ForeignEndpoint, 0, len(fs))
	for _, e := range fs {
		out = append(out, view.ForeignEndpoint{Name: e.Name, URL: e.URL, Origin: e.Origin})
	}
	return out
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
		Endpoints: store.Endpoints{
			Authorization: v.Endpoints.Authorization, Token: v.Endpoints.Token,
			UserInfo: v.Endpoints.UserInfo, Revocation: v.Endpoints.Revocation,
			Introspection: v.Endpoints.Introspection, EndSession: v.Endpoints.EndSession,
			JWKS: v.Endpoints.JWKS,
		},
		ClientID: v.ClientID, AuthMethod: store.AuthMethod(v.AuthMethod),
		HasClientSecret: v.HasClientSecret || v.ClientSecret != "",
		Scopes:          append([]string{}, v.Scopes...), Params: params,
		RedirectHost: v.RedirectHost, RedirectPort: v.RedirectPort, RedirectPath: v.RedirectPath,
		TimeoutSeconds: v.TimeoutSeconds, CAFile: v.CAFile, KeepSignedIn: v.KeepSignedIn,
		APIBase: v.APIBase,
	}
}

func fieldErrors(fs []store.FieldError) []view.FieldError {
	out := make([]view.FieldError, 0, len(fs))
	for _, f := range fs {
		out = append(out, view.FieldError{Field: f.Field, Message: f.Message})
	}
	return out
}
