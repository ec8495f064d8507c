package presets

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"pkcedesk/store"
)

// plausible holds realistic values for every need.
var plausible = map[string]string{
	NeedIssuer:       "https://login.example.com",
	NeedClientID:     "desk-app-123",
	NeedClientSecret: "not-a-real-secret",
	NeedTenant:       "contoso.onmicrosoft.com",
	NeedDomain:       "dev-abc123.us.auth0.com",
	NeedHost:         "sso.example.com:8443",
	NeedRealm:        "staff",
	NeedAudience:     "https://api.example.com",
}

func TestEveryPresetValidatesOnceFilled(t *testing.T) {
	ps := List()
	want := []string{IDDemo, IDGeneric, IDGoogle, IDEntra, IDAuth0, IDOkta, IDKeycloak, IDGitLab, IDGitHub}
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("preset ids = %v, want %v", ids, want)
	}
	for _, p := range ps {
		t.Run(p.ID, func(t *testing.T) {
			if p.Name == "" || len(p.Notes) == 0 {
				t.Errorf("preset lacks a name or notes")
			}
			values := map[string]string{}
			for _, n := range append(slices.Clone(p.Needs), p.Optional...) {
				values[n] = plausible[n]
			}
			prof, err := p.Apply(values)
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if ph := Placeholders(prof); len(ph) != 0 {
				t.Errorf("placeholders left: %v in %+v", ph, prof)
			}
			if errs := prof.Validate(); errs != nil {
				t.Errorf("filled template does not validate: %v", errs)
			}
			if prof.Preset != p.ID || prof.ID != "" || prof.BuiltIn {
				t.Errorf("identity fields = %q %q %v", prof.Preset, prof.ID, prof.BuiltIn)
			}
			// And it can be saved.
			s, err := store.Open(t.TempDir() + "/s")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.SaveProfile(prof); err != nil {
				t.Errorf("SaveProfile: %v", err)
			}
		})
	}
}

func TestPresetFacts(t *testing.T) {
	fill := func(id string, extra map[string]string) store.Profile {
		t.Helper()
		p, ok := Get(id)
		if !ok {
			t.Fatalf("no preset %q", id)
		}
		v := map[string]string{NeedClientID: "cid", NeedClientSecret: "sec"}
		for k, val := range extra {
			v[k] = val
		}
		prof, err := p.Apply(v)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		return prof
	}

	g := fill(IDGoogle, nil)
	if g.Issuer != "https://accounts.google.com" || g.AuthMethod != store.AuthClientSecretPost || !g.HasClientSecret ||
		g.RedirectHost != "127.0.0.1" || g.RedirectPort != 0 || !reflect.DeepEqual(g.Scopes, []string{"openid", "email", "profile"}) {
		t.Errorf("google = %+v", g)
	}

	e := fill(IDEntra, nil) // tenant defaults to common
	if e.Issuer != "https://login.microsoftonline.com/common/v2.0" || e.RedirectHost != "localhost" || e.AuthMethod != store.AuthNone ||
		e.HasClientSecret || !reflect.DeepEqual(e.Scopes, []string{"openid", "profile", "offline_access", "User.Read"}) {
		t.Errorf("entra = %+v", e)
	}
	if e2 := fill(IDEntra, map[string]string{NeedTenant: "organizations"}); e2.Issuer != "https://login.microsoftonline.com/organizations/v2.0" {
		t.Errorf("entra tenant = %s", e2.Issuer)
	}

	a := fill(IDAuth0, map[string]string{NeedDomain: "acme.eu.auth0.com"})
	if a.Issuer != "https://acme.eu.auth0.com/" || a.RedirectPort == 0 || len(a.Params) != 0 ||
		!slices.Contains(a.Scopes, "offline_access") || a.AuthMethod != store.AuthNone {
		t.Errorf("auth0 without audience = %+v", a)
	}
	a2 := fill(IDAuth0, map[string]string{NeedDomain: "acme.eu.auth0.com", NeedAudience: "https://api"})
	if !reflect.DeepEqual(a2.Params, []store.Param{{Key: "audience", Value: "https://api"}}) {
		t.Errorf("auth0 audience param = %+v", a2.Params)
	}

	o := fill(IDOkta, map[string]string{NeedDomain: "acme.okta.com"})
	if o.Issuer != "https://acme.okta.com/oauth2/default" || o.RedirectPort == 0 {
		t.Errorf("okta = %+v", o)
	}

	k := fill(IDKeycloak, map[string]string{NeedHost: "id.example.com", NeedRealm: "my realm/x"})
	if k.Issuer != "https://id.example.com/realms/my%20realm%2Fx" {
		t.Errorf("keycloak issuer = %s", k.Issuer)
	}

	gl := fill(IDGitLab, nil)
	if gl.Issuer != "https://gitlab.com" || gl.APIBase != "https://gitlab.com/api/v4" || gl.RedirectHost != "127.0.0.1" ||
		!reflect.DeepEqual(gl.Scopes, []string{"openid", "profile", "email", "read_user"}) {
		t.Errorf("gitlab = %+v", gl)
	}

	gh := fill(IDGitHub, nil)
	if gh.Issuer != "" || gh.Endpoints.Authorization != "https://github.com/login/oauth/authorize" ||
		gh.Endpoints.Token != "https://github.com/login/oauth/access_token" || !gh.HasClientSecret ||
		!reflect.DeepEqual(gh.Scopes, []string{"read:user"}) || slices.Contains(gh.Scopes, "openid") {
		t.Errorf("github = %+v", gh)
	}

	d := fill(IDDemo, nil)
	if d.Preset != store.DemoPresetID || d.ClientID != "cid" || d.AuthMethod != store.AuthNone {
		t.Errorf("demo = %+v", d)
	}
}

func TestApplyRefusesMissingAndHostileValues(t *testing.T) {
	kc, _ := Get(IDKeycloak)
	_, err := kc.Apply(map[string]string{NeedClientID: "  "})
	var ae *ApplyError
	if !errors.As(err, &ae) || len(ae.Fields) != 3 {
		t.Fatalf("err = %v, want three missing needs (host, realm, client_id)", err)
	}
	for _, v := range []string{"evil.example/path", "https://id.example.com", "id.example.com@evil", "a b", "id.example.com#x"} {
		if _, err := kc.Apply(map[string]string{NeedHost: v, NeedRealm: "r", NeedClientID: "c"}); err == nil {
			t.Errorf("host %q accepted", v)
		}
	}
	en, _ := Get(IDEntra)
	if _, err := en.Apply(map[string]string{NeedTenant: "common/../evil", NeedClientID: "c"}); err == nil ||
		!strings.Contains(err.Error(), "tenant") {
		t.Errorf("hostile tenant: %v", err)
	}
	if _, ok := Get("nope"); ok {
		t.Error("Get of an unknown preset succeeded")
	}
}

func TestListReturnsCopies(t *testing.T) {
	a := List()
	a[0].Profile.Scopes[0] = "mutated"
	a[0].Notes[0] = "mutated"
	b, _ := Get(a[0].ID)
	if b.Profile.Scopes[0] == "mutated" || b.Notes[0] == "mutated" {
		t.Error("List handed out shared slices")
	}
}

func TestNeedLabels(t *testing.T) {
	for _, p := range List() {
		for _, n := range append(slices.Clone(p.Needs), p.Optional...) {
			if NeedLabel(n) == n {
				t.Errorf("%s: need %q has no label", p.ID, n)
			}
		}
	}
}
