package store

import (
	"strings"
	"testing"
)

func TestValidateAcceptsGoodProfiles(t *testing.T) {
	for name, p := range map[string]Profile{
		"issuer only": validProfile("A"),
		"manual endpoints, no issuer": {
			Name: "GitHub", ClientID: "x", AuthMethod: AuthClientSecretPost, HasClientSecret: true,
			Endpoints: Endpoints{Authorization: "https://github.com/login/oauth/authorize", Token: "https://github.com/login/oauth/access_token"},
			Scopes:    []string{"read:user"},
		},
		"http on loopback": {Name: "Local", ClientID: "x", Issuer: "http://127.0.0.1:9998/",
			Endpoints: Endpoints{JWKS: "http://[::1]:9998/keys", UserInfo: "http://localhost:9998/userinfo"}},
		"every option": {
			Name: "Full", Issuer: "https://id.example.com/realms/x", ClientID: "c", AuthMethod: AuthClientSecretBasic,
			HasClientSecret: true, Params: []Param{{"audience", "https://api"}, {"prompt", "login"}},
			RedirectHost: "::1", RedirectPort: 65535, RedirectPath: "/cb/desk", TimeoutSeconds: 3600,
			CAFile: "/etc/ssl/custom.pem", APIBase: "http://api.internal.example:8080/v1",
		},
	} {
		if errs := p.Validate(); errs != nil {
			t.Errorf("%s: unexpected errors %v", name, errs)
		}
	}
}

func TestValidateRejects(t *testing.T) {
	base := validProfile("Base")
	for _, tc := range []struct {
		name   string
		edit   func(*Profile)
		field  string
		substr string
	}{
		{"no name", func(p *Profile) { p.Name = "  " }, "name", "name"},
		{"no issuer nor endpoints", func(p *Profile) { p.Issuer = "" }, "issuer", "issuer"},
		{"only authorization endpoint", func(p *Profile) {
			p.Issuer = ""
			p.Endpoints.Authorization = "https://a.example/auth"
		}, "issuer", "token"},
		{"relative issuer", func(p *Profile) { p.Issuer = "login.example.com" }, "issuer", "full URL"},
		{"http issuer off loopback", func(p *Profile) { p.Issuer = "http://login.example.com" }, "issuer", "https"},
		{"http token endpoint off loopback", func(p *Profile) { p.Endpoints.Token = "http://10.0.0.1/token" }, "endpoints.token", "https"},
		{"ftp endpoint", func(p *Profile) { p.Endpoints.JWKS = "ftp://x.example/keys" }, "endpoints.jwks", "https"},
		{"credentials in URL", func(p *Profile) { p.Issuer = "https://u:pw@x.example" }, "issuer", "user name"},
		{"no client id", func(p *Profile) { p.ClientID = "" }, "client_id", "client ID"},
		{"unknown auth method", func(p *Profile) { p.AuthMethod = "private_key_jwt" }, "auth_method", "none"},
		{"secret missing", func(p *Profile) { p.AuthMethod = AuthClientSecretBasic }, "client_secret", "keychain"},
		{"scope with space", func(p *Profile) { p.Scopes = []string{"openid profile"} }, "scopes[0]", "one word"},
		{"reserved param state", func(p *Profile) { p.Params = []Param{{"state", "x"}} }, "params[0].key", "state"},
		{"reserved param any case", func(p *Profile) { p.Params = []Param{{"ok", "1"}, {"Code_Challenge_Method", "plain"}} }, "params[1].key", "Code_Challenge_Method"},
		{"reserved redirect_uri", func(p *Profile) { p.Params = []Param{{"redirect_uri", "http://evil"}} }, "params[0].key", "itself"},
		{"empty param key", func(p *Profile) { p.Params = []Param{{"", "x"}} }, "params[0].key", "name"},
		{"empty param value", func(p *Profile) { p.Params = []Param{{"audience", ""}} }, "params[0].value", "audience"},
		{"redirect host LAN", func(p *Profile) { p.RedirectHost = "0.0.0.0" }, "redirect_host", "127.0.0.1"},
		{"port too big", func(p *Profile) { p.RedirectPort = 70000 }, "redirect_port", "65535"},
		{"port negative", func(p *Profile) { p.RedirectPort = -1 }, "redirect_port", "65535"},
		{"path without slash", func(p *Profile) { p.RedirectPath = "callback" }, "redirect_path", "/"},
		{"path with query", func(p *Profile) { p.RedirectPath = "/cb?x=1" }, "redirect_path", "?"},
		{"timeout too short", func(p *Profile) { p.TimeoutSeconds = 5 }, "timeout_seconds", "10"},
		{"timeout too long", func(p *Profile) { p.TimeoutSeconds = 3601 }, "timeout_seconds", "3600"},
		{"relative CA file", func(p *Profile) { p.CAFile = "ca.pem" }, "ca_file", "full path"},
		{"bad API base", func(p *Profile) { p.APIBase = "api.example.com" }, "api_base", "http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := base.Clone()
			tc.edit(&p)
			errs := p.Validate()
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want exactly one on %s", errs, tc.field)
			}
			if errs[0].Field != tc.field || !strings.Contains(errs[0].Message, tc.substr) {
				t.Errorf("got %s: %q; want field %s mentioning %q", errs[0].Field, errs[0].Message, tc.field, tc.substr)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	errs := Profile{RedirectPort: -5, TimeoutSeconds: 1}.Validate()
	fields := map[string]bool{}
	for _, e := range errs {
		fields[e.Field] = true
	}
	for _, f := range []string{"name", "issuer", "client_id", "redirect_port", "timeout_seconds"} {
		if !fields[f] {
			t.Errorf("missing error for %s in %v", f, errs)
		}
	}
}

func TestRedirectURI(t *testing.T) {
	for _, tc := range []struct {
		p    Profile
		want string
	}{
		{Profile{}, "http://127.0.0.1/callback"},
		{Profile{RedirectHost: "::1", RedirectPort: 8765, RedirectPath: "/cb"}, "http://[::1]:8765/cb"},
		{Profile{RedirectHost: "localhost"}, "http://localhost/callback"},
	} {
		if got := tc.p.RedirectURI(); got != tc.want {
			t.Errorf("RedirectURI(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
