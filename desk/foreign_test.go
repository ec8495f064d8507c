package desk

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"pkcedesk/auth"
	"pkcedesk/store"
	"pkcedesk/view"
)

// proxyTo is a transparent proxy in front of target, the attack the
// foreign-endpoint check exists for: every ID-token check still passes
// against the real issuer while the proxy sees the code, the verifier and
// the tokens. hits counts the requests it relayed.
func proxyTo(t *testing.T, target string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int64
	rp := httputil.NewSingleHostReverseProxy(u)
	direct := rp.Director
	rp.Director = func(r *http.Request) { direct(r); r.Host = u.Host }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// A profile with the demo's real issuer whose token endpoint goes through
// another origin: the first sign-in stops before the browser opens and
// names that origin; once the user confirms it, the sign-in goes on.
func TestSignInWithForeignTokenEndpointAsksBeforeTheBrowserOpens(t *testing.T) {
	d, _, bot := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	srv, err := d.startDemo()
	if err != nil {
		t.Fatal(err)
	}
	md, err := d.Discover(ctx, view.Profile{Issuer: srv.Issuer()})
	if err != nil {
		t.Fatal(err)
	}
	tokenURL, _ := url.Parse(md.Endpoints.Token)
	proxy, hits := proxyTo(t, tokenURL.Scheme+"://"+tokenURL.Host)
	proxied := proxy.URL + tokenURL.Path

	res, err := d.SaveProfile(view.Profile{Name: "Proxied demo", Issuer: srv.Issuer(), ClientID: store.DemoClientID,
		AuthMethod: "none", Scopes: []string{"openid", "profile"}, Endpoints: view.Endpoints{Token: proxied}})
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	id := res.Profile.ID
	wantForeign := []view.ForeignEndpoint{{Name: "token endpoint", URL: proxied, Origin: proxy.URL}}
	if !reflect.DeepEqual(res.Profile.ForeignEndpoints, wantForeign) || len(res.Profile.TrustedOrigins) != 0 {
		t.Errorf("saved view: foreign %+v, trusted %v", res.Profile.ForeignEndpoints, res.Profile.TrustedOrigins)
	}

	var opened atomic.Int64
	d.host.OpenBrowser = func(u string) error { opened.Add(1); return bot.Opener()(ctx, u) }
	v, err := d.SignIn(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != view.StatusError || v.Error == nil || v.Error.Kind != "foreign_endpoints" ||
		!reflect.DeepEqual(v.Error.Origins, []string{proxy.URL}) {
		t.Fatalf("first sign-in: status %q, error %+v", v.Status, v.Error)
	}
	if n := opened.Load(); n != 0 {
		t.Errorf("the browser opened %d times before the user confirmed", n)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the unconfirmed endpoint received %d requests", n)
	}

	// Only origins the profile really points to can be confirmed.
	if _, err := d.TrustEndpointOrigins(id, []string{srv.Issuer()}); err == nil {
		t.Error("confirmed the issuer's own origin")
	}
	if _, err := d.TrustEndpointOrigins(id, []string{"https://unrelated.example"}); err == nil {
		t.Error("confirmed an origin no endpoint uses")
	}
	p, err := d.TrustEndpointOrigins(id, v.Error.Origins)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.TrustedOrigins, []string{proxy.URL}) {
		t.Errorf("trusted after confirming: %v", p.TrustedOrigins)
	}

	v, err = d.SignIn(ctx, id, false)
	if err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign-in after confirming: %v, status %q, error %+v", err, v.Status, v.Error)
	}
	if opened.Load() != 1 || hits.Load() == 0 {
		t.Errorf("after confirming: browser opened %d times, proxy relayed %d requests", opened.Load(), hits.Load())
	}

	// The editor cannot add or drop confirmations by sending its own list.
	edit := p
	edit.Name = "Proxied demo (renamed)"
	edit.TrustedOrigins = []string{"https://attacker.example"}
	res, err = d.SaveProfile(edit)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	if !reflect.DeepEqual(res.Profile.TrustedOrigins, []string{proxy.URL}) {
		t.Errorf("SaveProfile took trust from the view: %v", res.Profile.TrustedOrigins)
	}
	// A new issuer forgets them.
	edit.Issuer = "https://login.example.com"
	if res, err = d.SaveProfile(edit); err != nil || len(res.Profile.TrustedOrigins) != 0 {
		t.Errorf("issuer changed: %v, trusted %v", err, res.Profile.TrustedOrigins)
	}
}

func TestErrorViewNamesForeignOrigins(t *testing.T) {
	err := fmt.Errorf("sign in: %w", &auth.ForeignEndpointsError{Issuer: "https://accounts.google.com",
		Endpoints: []auth.ForeignEndpoint{
			{Name: "token endpoint", URL: "https://evil.example/token", Origin: "https://evil.example"},
			{Name: "JWKS URL", URL: "https://evil.example/jwks", Origin: "https://evil.example"},
			{Name: "userinfo endpoint", URL: "https://other.example/me", Origin: "https://other.example"},
		}})
	v := errorView(err)
	if v.Kind != "foreign_endpoints" || !reflect.DeepEqual(v.Origins, []string{"https://evil.example", "https://other.example"}) {
		t.Errorf("errorView = %+v", v)
	}
	if v := errorView(errors.New("other")); v.Origins != nil || v.Kind != "error" {
		t.Errorf("plain error = %+v", v)
	}
}

// An imported profile that keeps Google's issuer with its token and JWKS at
// another host arrives unconfirmed, and the import result says so.
func TestImportHostileProfileShowsNotesAndNoTrust(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	file := filepath.Join(t.TempDir(), "shared.json")
	if err := os.WriteFile(file, []byte(`{"schema_version": 1, "kind": "pkce-desk/profiles", "profiles": [{
	  "name": "Google (team)", "issuer": "https://accounts.google.com", "client_id": "123.apps.googleusercontent.com",
	  "endpoints": {"token": "https://evil.example/token", "jwks": "https://evil.example/jwks"},
	  "scopes": ["openid"], "ca_file": "/x/ca.pem", "keep_signed_in": true,
	  "trusted_origins": ["https://evil.example"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	d.host.OpenFile = func(string) (string, error) { return file, nil }
	imp, err := d.ImportProfiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Items) != 1 || imp.Items[0].ImportedID == "" {
		t.Fatalf("import: %+v", imp.Items)
	}
	notes := strings.Join(imp.Items[0].Notes, "\n")
	for _, want := range []string{"/x/ca.pem", "token endpoint with https://evil.example/token — not at the issuer's origin https://accounts.google.com",
		"JWKS URL with https://evil.example/jwks"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	for _, p := range d.Profiles() {
		if p.ID != imp.Items[0].ImportedID {
			continue
		}
		if len(p.TrustedOrigins) != 0 || len(p.ForeignEndpoints) != 2 || p.ForeignEndpoints[0].Origin != "https://evil.example" {
			t.Errorf("imported profile: trusted %v, foreign %+v", p.TrustedOrigins, p.ForeignEndpoints)
		}
	}
}
