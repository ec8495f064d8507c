package presets

import (
	"encoding/json"
	"errors"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"pkcedesk/store"
)

// These tests check what must hold for every preset, now and for any preset
// added later, rather than restating the catalog value by value: the
// catalog's facts live in catalog.go with their sources (PROVIDERS.md).

// plausible holds realistic values for every need.
var plausible = map[string]string{
	NeedIssuer:       "https://login.example.com",
	NeedClientID:     "desk-app-123",
	NeedClientSecret: "not-a-real-secret-7f3a9c",
	NeedTenant:       "contoso.onmicrosoft.com",
	NeedDomain:       "dev-abc123.us.auth0.com",
	NeedHost:         "sso.example.com:8443",
	NeedRealm:        "staff",
	NeedAudience:     "https://api.example.com",
}

// valuesFor returns plausible values for the preset's needs, and for its
// optional fields too when withOptional is set.
func valuesFor(p Preset, withOptional bool) map[string]string {
	v := map[string]string{}
	fields := slices.Clone(p.Needs)
	if withOptional {
		fields = append(fields, p.Optional...)
	}
	for _, n := range fields {
		v[n] = plausible[n]
	}
	return v
}

// placeholderNeed is the need that fills each placeholder Apply knows.
var placeholderNeed = map[string]string{"{tenant}": NeedTenant, "{domain}": NeedDomain, "{host}": NeedHost, "{realm}": NeedRealm}

func TestPresetIDsAreUniqueAndFindable(t *testing.T) {
	ps := List()
	if len(ps) < 2 || ps[0].ID != IDDemo || ps[1].ID != IDGeneric {
		t.Fatalf("the picker must start with the demo, then generic OpenID Connect: %v", ids(ps))
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if !regexp.MustCompile(`^[a-z0-9]+$`).MatchString(p.ID) || seen[p.ID] {
			t.Errorf("preset id %q is empty, not a plain lower-case word, or repeated", p.ID)
		}
		seen[p.ID] = true
		if p.Name == "" || len(p.Notes) == 0 {
			t.Errorf("%s: a preset needs a name and notes", p.ID)
		}
		if got, ok := Get(p.ID); !ok || got.ID != p.ID || got.Name != p.Name {
			t.Errorf("Get(%q) = %+v, %v", p.ID, got.ID, ok)
		}
	}
}

func ids(ps []Preset) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// Filled in — with the needs only, or with the optional fields too — every
// preset gives a profile that validates, has no placeholder left and can be
// saved.
func TestEveryPresetValidatesOnceFilled(t *testing.T) {
	for _, p := range List() {
		for _, withOptional := range []bool{false, true} {
			prof, err := p.Apply(valuesFor(p, withOptional))
			if err != nil {
				t.Fatalf("%s: Apply: %v", p.ID, err)
			}
			if ph := Placeholders(prof); len(ph) != 0 {
				t.Errorf("%s: placeholders left: %v", p.ID, ph)
			}
			if errs := prof.Validate(); errs != nil {
				t.Errorf("%s: the filled template does not validate: %v", p.ID, errs)
			}
			if prof.Preset != p.ID || prof.ID != "" || prof.BuiltIn {
				t.Errorf("%s: identity fields preset %q id %q built-in %v", p.ID, prof.Preset, prof.ID, prof.BuiltIn)
			}
			s, err := store.Open(t.TempDir() + "/store") // a fresh 0700 folder
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.SaveProfile(prof); err != nil {
				t.Errorf("%s: SaveProfile: %v", p.ID, err)
			}
		}
	}
}

// A template asks for what it leaves open: each placeholder has its need,
// each need and default is one Apply knows, and leaving out a need that has
// no default is refused naming that field.
func TestPresetsAskForWhatTheyLeaveOpen(t *testing.T) {
	known := slices.Collect(maps.Keys(plausible))
	for _, p := range List() {
		fields := append(slices.Clone(p.Needs), p.Optional...)
		for _, f := range fields {
			if !slices.Contains(known, f) {
				t.Errorf("%s: unknown need %q", p.ID, f)
			}
			if NeedLabel(f) == f {
				t.Errorf("%s: need %q has no label", p.ID, f)
			}
		}
		for k := range p.Defaults {
			if !slices.Contains(fields, k) {
				t.Errorf("%s: default for %q, which it neither needs nor offers", p.ID, k)
			}
		}
		for _, ph := range Placeholders(p.Profile) {
			if need := placeholderNeed[ph]; need == "" || !slices.Contains(p.Needs, need) {
				t.Errorf("%s: placeholder %s is not filled by any of its needs %v", p.ID, ph, p.Needs)
			}
		}
		if p.Profile.ClientID == "" && !slices.Contains(p.Needs, NeedClientID) {
			t.Errorf("%s: no client id and none asked for", p.ID)
		}
		for _, need := range p.Needs {
			if _, hasDefault := p.Defaults[need]; hasDefault {
				continue
			}
			v := valuesFor(p, true)
			delete(v, need)
			_, err := p.Apply(v)
			var ae *ApplyError
			if !errors.As(err, &ae) || len(ae.Fields) != 1 || ae.Fields[0].Field != need {
				t.Errorf("%s without %s: %v, want an ApplyError for that field alone", p.ID, need, err)
			}
		}
	}
}

// The redirect URI is one RFC 8252 allows a native app (http on a loopback
// host, §7.3 and §8.3), with a port only where the preset fixes one, and
// where the notes tell the user which URI to register at the provider they
// name exactly the one the profile uses.
func TestRedirectURIRules(t *testing.T) {
	mentioned := regexp.MustCompile(`http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(/[A-Za-z0-9/_-]*)?`)
	compared := 0
	for _, p := range List() {
		prof, err := p.Apply(valuesFor(p, true))
		if err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		uri := prof.RedirectURI()
		u, err := url.Parse(uri)
		if err != nil || u.Scheme != "http" || !slices.Contains([]string{"127.0.0.1", "::1", "localhost"}, u.Hostname()) || !strings.HasPrefix(u.Path, "/") {
			t.Errorf("%s: redirect URI %q is not http on a loopback host with a path", p.ID, uri)
			continue
		}
		if prof.RedirectPort != 0 && prof.RedirectPort != FixedPort {
			t.Errorf("%s: fixed port %d, want FixedPort (%d) or any port", p.ID, prof.RedirectPort, FixedPort)
		}
		if u.Hostname() == "localhost" && !strings.Contains(strings.Join(p.Notes, " "), "localhost") {
			t.Errorf("%s: uses localhost instead of the IP literal (RFC 8252 §8.3) without saying why", p.ID)
		}
		for _, note := range p.Notes {
			for _, m := range mentioned.FindAllStringSubmatch(note, -1) {
				host := strings.Trim(m[1], "[]")
				if host != u.Hostname() || m[3] == "" {
					continue // another host, or no path: not the URI to register
				}
				compared++
				if m[0] != uri {
					t.Errorf("%s: a note says to register %s, but the profile uses %s", p.ID, m[0], uri)
				}
			}
		}
	}
	if compared == 0 {
		t.Error("no note names a redirect URI to register: the comparison above checked nothing")
	}
}

// No secret is in the catalog, and a client secret given to Apply never
// lands in the profile: it only marks that one exists, and only where the
// auth method sends one. A preset asks for a secret exactly when its auth
// method needs one.
func TestPresetsHoldNoSecrets(t *testing.T) {
	for _, p := range List() {
		needsSecret := p.Profile.AuthMethod.NeedsSecret()
		if slices.Contains(p.Needs, NeedClientSecret) != needsSecret {
			t.Errorf("%s: asks for a client secret %v, auth method %q needs one %v", p.ID, slices.Contains(p.Needs, NeedClientSecret), p.Profile.AuthMethod, needsSecret)
		}
		if p.Profile.HasClientSecret {
			t.Errorf("%s: the template claims a client secret", p.ID)
		}
		v := valuesFor(p, true)
		v[NeedClientSecret] = plausible[NeedClientSecret]
		prof, err := p.Apply(v)
		if err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		js, _ := json.Marshal(prof)
		if strings.Contains(string(js), plausible[NeedClientSecret]) {
			t.Errorf("%s: the client secret value is in the profile: %s", p.ID, js)
		}
		if prof.HasClientSecret != needsSecret {
			t.Errorf("%s: HasClientSecret %v with auth method %q", p.ID, prof.HasClientSecret, prof.AuthMethod)
		}
	}
	js, _ := json.Marshal(List())
	if regexp.MustCompile(`(?i)"client_?secret"\s*:\s*"[^"]`).Match(js) {
		t.Errorf("the catalog holds a client secret value: %s", js)
	}
}

// A template parameter named after an optional field (Auth0's audience) is
// sent with the user's value, or not at all.
func TestParamsNamedAfterAFieldAreFilledOrDropped(t *testing.T) {
	checked := 0
	for _, p := range List() {
		for _, prm := range p.Profile.Params {
			if !slices.Contains(p.Optional, prm.Key) {
				continue
			}
			checked++
			without, err := p.Apply(valuesFor(p, false))
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(without.Params, func(x store.Param) bool { return x.Key == prm.Key }) {
				t.Errorf("%s: %s sent without a value: %+v", p.ID, prm.Key, without.Params)
			}
			with, err := p.Apply(valuesFor(p, true))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(with.Params, store.Param{Key: prm.Key, Value: plausible[prm.Key]}) {
				t.Errorf("%s: %s not sent with the value given: %+v", p.ID, prm.Key, with.Params)
			}
		}
	}
	if checked == 0 {
		t.Skip("no preset has a parameter named after an optional field")
	}
}

func TestApplyRefusesMissingAndHostileValues(t *testing.T) {
	kc, _ := Get(IDKeycloak)
	_, err := kc.Apply(map[string]string{NeedClientID: "  "})
	var ae *ApplyError
	if !errors.As(err, &ae) || len(ae.Fields) != 3 {
		t.Fatalf("err = %v, want three missing needs (host, realm, client_id)", err)
	}
	for _, p := range List() {
		for _, field := range []string{NeedHost, NeedDomain} {
			if !slices.Contains(p.Needs, field) {
				continue
			}
			for _, v := range []string{"evil.example/path", "https://id.example.com", "id.example.com@evil", "a b", "id.example.com#x", "id.example.com?x=1"} {
				vals := valuesFor(p, true)
				vals[field] = v
				if _, err := p.Apply(vals); err == nil {
					t.Errorf("%s: %s %q accepted", p.ID, field, v)
				}
			}
		}
		if slices.Contains(p.Needs, NeedTenant) {
			vals := valuesFor(p, true)
			vals[NeedTenant] = "common/../evil"
			if _, err := p.Apply(vals); err == nil || !strings.Contains(err.Error(), "tenant") {
				t.Errorf("%s: hostile tenant: %v", p.ID, err)
			}
		}
		// A realm cannot add a path segment, a query or a fragment.
		if slices.Contains(p.Needs, NeedRealm) {
			plain, _ := p.Apply(valuesFor(p, true))
			vals := valuesFor(p, true)
			vals[NeedRealm] = "a/../b?x=1#y z"
			prof, err := p.Apply(vals)
			if err != nil {
				t.Fatalf("%s: %v", p.ID, err)
			}
			u, err := url.Parse(prof.Issuer)
			pu, _ := url.Parse(plain.Issuer)
			if err != nil || u.RawQuery != "" || u.Fragment != "" || strings.Count(u.EscapedPath(), "/") != strings.Count(pu.EscapedPath(), "/") {
				t.Errorf("%s: realm changed the issuer's structure: %s", p.ID, prof.Issuer)
			}
		}
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
