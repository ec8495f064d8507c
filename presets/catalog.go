package presets

import "pkcedesk/store"

// Preset IDs.
const (
	IDDemo     = store.DemoPresetID
	IDGeneric  = "generic"
	IDGoogle   = "google"
	IDEntra    = "entra"
	IDAuth0    = "auth0"
	IDOkta     = "okta"
	IDKeycloak = "keycloak"
	IDGitLab   = "gitlab"
	IDGitHub   = "github"
)

// FixedPort is the loopback port of presets whose provider matches redirect
// URIs exactly, port included (Auth0, Okta): the same port must be
// registered there. Any free port works if both sides are changed.
const FixedPort = 8765

// catalog builds the presets afresh on each call, so nothing shared can be
// changed by a caller. Facts: PROVIDERS.md (collected 2026-11).
func catalog() []Preset {
	return []Preset{
		demo(), generic(), google(), entra(), auth0(), okta(), keycloak(), gitlab(), github(),
	}
}

func demo() Preset {
	p := store.DemoProfile("")
	p.ID, p.BuiltIn = "", false
	return Preset{
		ID:      IDDemo,
		Name:    "Demo provider (built in)",
		Profile: p,
		Notes: []string{
			"The demo provider runs inside PKCE Desk on 127.0.0.1 and already knows this client: there is nothing to register.",
			"Its address changes every time it starts, so PKCE Desk fills in the issuer for you.",
			"You sign in in your browser — never in PKCE Desk.",
		},
	}
}

func generic() Preset {
	return Preset{
		ID:   IDGeneric,
		Name: "Any OpenID Connect provider",
		Profile: store.Profile{
			Name:       "OpenID Connect provider",
			AuthMethod: store.AuthNone,
			Scopes:     []string{"openid", "profile", "email"},
		},
		Needs: []string{NeedIssuer, NeedClientID},
		Notes: []string{
			"Register a public (native/desktop) client that uses PKCE with S256 and the redirect URI http://127.0.0.1/callback.",
			"RFC 8252 says the provider should accept any port on 127.0.0.1 for such a client; if yours insists on an exact match, set a fixed port and register it too.",
			"Endpoints are found by discovery (/.well-known/openid-configuration under the issuer). Add offline_access to the scopes if you want a refresh token.",
		},
	}
}

func google() Preset {
	return Preset{
		ID:   IDGoogle,
		Name: "Google",
		Profile: store.Profile{
			Name:   "Google",
			Issuer: "https://accounts.google.com",
			// Desktop-app clients must send their secret at the token
			// endpoint even with PKCE (PROVIDERS.md, Google [G3]).
			AuthMethod:   store.AuthClientSecretPost,
			Scopes:       []string{"openid", "email", "profile"},
			RedirectHost: store.RedirectHostIPv4,
		},
		Needs: []string{NeedClientID, NeedClientSecret},
		Notes: []string{
			"In Google Cloud Console → Credentials, create an OAuth client ID of type \"Desktop app\". Desktop clients do not register redirect URIs: Google accepts http://127.0.0.1 on any port.",
			"Google requires the client secret of a Desktop app even with PKCE (otherwise: \"client_secret is missing\"). Google does not treat it as confidential; PKCE Desk keeps it in your system keychain anyway.",
			"Google always returns a refresh token to installed apps. While the consent screen is in \"Testing\" mode, refresh tokens expire after 7 days.",
			"Google supports token revocation but has no sign-out endpoint for apps.",
		},
	}
}

func entra() Preset {
	return Preset{
		ID:   IDEntra,
		Name: "Microsoft Entra ID",
		Profile: store.Profile{
			Name:       "Microsoft Entra ID",
			Issuer:     "https://login.microsoftonline.com/{tenant}/v2.0",
			AuthMethod: store.AuthNone,
			Scopes:     []string{"openid", "profile", "offline_access", "User.Read"},
			// The Entra portal only accepts http://localhost for loopback;
			// the port is ignored when matching (PROVIDERS.md [M1]).
			RedirectHost: store.RedirectHostLocalhost,
			APIBase:      "https://graph.microsoft.com/v1.0",
		},
		Needs:    []string{NeedTenant, NeedClientID},
		Defaults: map[string]string{NeedTenant: "common"},
		Notes: []string{
			"In Entra ID → App registrations, add the platform \"Mobile and desktop applications\" with the redirect URI http://localhost/callback. Entra ignores the port for localhost, so any free port works; the path must match exactly (case-sensitive).",
			"[::1] is not supported. http://127.0.0.1/callback only works if you add it by editing replyUrlsWithType in the app manifest; the portal refuses it.",
			"This is a public client: no secret. Entra returns a refresh token only when offline_access is requested, and replaces it on every refresh.",
			"Tenant \"common\" lets any work, school or personal account sign in; the ID token's issuer then names the user's own tenant, which PKCE Desk checks against the tid claim.",
			"Access tokens for Microsoft Graph are not meant to be decoded or validated by apps. Entra has no token revocation endpoint.",
			"Try GET https://graph.microsoft.com/v1.0/me in the request console.",
		},
	}
}

func auth0() Preset {
	return Preset{
		ID:   IDAuth0,
		Name: "Auth0",
		Profile: store.Profile{
			Name: "Auth0",
			// Auth0's issuer ends with a slash (PROVIDERS.md [A2]).
			Issuer:       "https://{domain}/",
			AuthMethod:   store.AuthNone,
			Scopes:       []string{"openid", "profile", "email", "offline_access"},
			Params:       []store.Param{{Key: NeedAudience, Value: ""}},
			RedirectHost: store.RedirectHostIPv4,
			RedirectPort: FixedPort,
		},
		Needs:    []string{NeedDomain, NeedClientID},
		Optional: []string{NeedAudience},
		Notes: []string{
			"Create an application of type \"Native\" and add http://127.0.0.1:8765/callback to its Allowed Callback URLs. Auth0 matches the port exactly, so this preset uses the fixed port 8765.",
			"The issuer is https://<your domain>/ with a trailing slash; with a custom domain, use that domain.",
			"Without an audience (your API's identifier) Auth0 returns an opaque access token that only works at /userinfo. Fill in the audience to get a JWT for your API.",
			"For a refresh token, enable \"Allow Offline Access\" on the API and the Refresh Token grant on the application.",
		},
	}
}

func okta() Preset {
	return Preset{
		ID:   IDOkta,
		Name: "Okta",
		Profile: store.Profile{
			Name:         "Okta",
			Issuer:       "https://{domain}/oauth2/default",
			AuthMethod:   store.AuthNone,
			Scopes:       []string{"openid", "profile", "email", "offline_access"},
			RedirectHost: store.RedirectHostIPv4,
			RedirectPort: FixedPort,
		},
		Needs: []string{NeedDomain, NeedClientID},
		Notes: []string{
			"Create an OIDC app integration of type \"Native Application\" with client authentication \"None\" (Okta then requires PKCE) and the sign-in redirect URI http://127.0.0.1:8765/callback. Register the exact port.",
			"This preset uses the \"default\" custom authorization server. For the org server, change the issuer to https://<your domain>; its access tokens cannot be validated by your own code.",
			"For a refresh token, enable the Refresh Token grant on the app (offline_access is already requested).",
		},
	}
}

func keycloak() Preset {
	return Preset{
		ID:   IDKeycloak,
		Name: "Keycloak",
		Profile: store.Profile{
			Name:         "Keycloak",
			Issuer:       "https://{host}/realms/{realm}",
			AuthMethod:   store.AuthNone,
			Scopes:       []string{"openid", "profile", "email"},
			RedirectHost: store.RedirectHostIPv4,
		},
		Needs: []string{NeedHost, NeedRealm, NeedClientID},
		Notes: []string{
			"Create an OpenID Connect client with \"Client authentication\" off and add the redirect URI http://127.0.0.1/callback without a port: Keycloak then accepts any port on 127.0.0.1 and localhost.",
			"Optionally enforce PKCE on the client (advanced settings: code challenge method S256).",
			"Keycloak 16 and older use https://<host>/auth/realms/<realm>; edit the issuer for those. For a local server on plain http, change https:// to http:// (allowed for localhost and 127.0.0.1 only).",
			"Add offline_access to the scopes for an offline token.",
		},
	}
}

func gitlab() Preset {
	return Preset{
		ID:   IDGitLab,
		Name: "GitLab",
		Profile: store.Profile{
			Name:         "GitLab",
			Issuer:       "https://{host}",
			AuthMethod:   store.AuthNone,
			Scopes:       []string{"openid", "profile", "email", "read_user"},
			RedirectHost: store.RedirectHostIPv4,
			APIBase:      "https://{host}/api/v4",
		},
		Needs:    []string{NeedHost, NeedClientID},
		Defaults: map[string]string{NeedHost: "gitlab.com"},
		Notes: []string{
			"In User settings → Applications, add an application with \"Confidential\" unchecked, the scopes openid, profile, email and read_user, and the redirect URI http://127.0.0.1/callback.",
			"GitLab ignores the port only for IP-literal loopback redirects (127.0.0.1, ::1), not for localhost — keep 127.0.0.1.",
			"Access tokens last 2 hours; each refresh replaces both the access and the refresh token. Add api or read_api to call more of the API.",
			"For a self-managed instance, enter its host name.",
		},
	}
}

func github() Preset {
	return Preset{
		ID:   IDGitHub,
		Name: "GitHub (OAuth 2.0, no OpenID Connect)",
		Profile: store.Profile{
			Name: "GitHub",
			Endpoints: store.Endpoints{
				Authorization: "https://github.com/login/oauth/authorize",
				Token:         "https://github.com/login/oauth/access_token",
				UserInfo:      "https://api.github.com/user",
			},
			// GitHub requires the client secret at the token endpoint even
			// with PKCE (PROVIDERS.md [GH1][GH2]).
			AuthMethod:   store.AuthClientSecretPost,
			Scopes:       []string{"read:user"},
			RedirectHost: store.RedirectHostIPv4,
			APIBase:      "https://api.github.com",
		},
		Needs: []string{NeedClientID, NeedClientSecret},
		Notes: []string{
			"GitHub is plain OAuth 2.0: no discovery and no ID token, so there is nothing to verify about who signed in; call https://api.github.com/user to find out.",
			"Register an OAuth app with the callback URL http://127.0.0.1/callback: GitHub does not require the port to match for loopback. GitHub Apps require an exact match — set a fixed port and register it there.",
			"GitHub requires the client secret even with PKCE (S256). PKCE Desk keeps it in your system keychain.",
			"Tokens of OAuth apps do not expire unless token expiration is enabled. Revoking a token is not standard (RFC 7009) at GitHub; delete it under Settings → Applications instead.",
			"For GitHub Enterprise Server, change the endpoints to https://<host>/login/oauth/… and the API to https://<host>/api/v3.",
		},
	}
}
