package demo

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"

	"pkcedesk/internal/atomicfile"
	"pkcedesk/internal/browserbot"
)

// startPersisted starts a Server on dir; the caller closes it (restart tests
// need to close it at a chosen moment), and Cleanup closes it too.
func startPersisted(t *testing.T, dir string) *Server {
	t.Helper()
	s, err := Start(t.Context(), Options{StateDir: dir})
	if err != nil {
		t.Fatalf("Start with StateDir: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func closeServer(t *testing.T, s *Server) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// readState decodes dir's state file.
func readState(t *testing.T, dir string) stateFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		t.Fatal(err)
	}
	f, err := decodeState(data)
	if err != nil {
		t.Fatalf("state file: %v", err)
	}
	return f
}

// linkOf finds the state file's record of a refresh token.
func linkOf(f stateFile, refreshToken string) (grantRecord, linkRecord, bool) {
	h := hashRefreshToken(refreshToken)
	for _, g := range f.Grants {
		for _, l := range g.Links {
			if l.SHA256 == h {
				return g, l, true
			}
		}
	}
	return grantRecord{}, linkRecord{}, false
}

// TestStateDirSessionsSurviveRestarts is the reason for StateDir: a refresh
// token from one run rotates in the next, on the same issuer with the same
// key, and rotation, reuse detection and revocation carry over.
func TestStateDirSessionsSurviveRestarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state") // Start creates it
	bot := browserbot.New(browserbot.Options{User: "alice"})

	// Run 1: grant A signs in and rotates once; grant B is revoked; grant C
	// is left alone.
	s1 := startPersisted(t, dir)
	fa := signIn(t, s1, bot)
	a2, err := refresh(t, fa, fa.token.RefreshToken)
	if err != nil {
		t.Fatalf("run 1 refresh: %v", err)
	}
	fb := signIn(t, s1, bot)
	if st := revoke(t, s1, fb.token.RefreshToken, "refresh_token"); st != 200 {
		t.Fatalf("revoke: %d", st)
	}
	fc := signIn(t, s1, bot)
	issuer, kid := s1.Issuer(), s1.storage.key.ID()
	closeServer(t, s1)

	// Run 2.
	s2 := startPersisted(t, dir)
	if s2.Issuer() != issuer {
		t.Fatalf("issuer changed across a restart with a free port: %s → %s", issuer, s2.Issuer())
	}
	if s2.storage.key.ID() != kid {
		t.Fatal("the signing key was not reused")
	}
	// Run 1's ID token verifies against run 2's discovery and JWKS.
	p, err := oidc.NewProvider(oidc.InsecureIssuerURLContext(t.Context(), s2.Issuer()), s2.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Verifier(&oidc.Config{ClientID: s2.ClientID()}).Verify(t.Context(), a2.Extra("id_token").(string)); err != nil {
		t.Fatalf("run 1's ID token does not verify in run 2: %v", err)
	}
	// Access tokens are not remembered: the API refuses run 1's.
	if resp, _ := apiCall(t, "GET", s2.APIBase()+"/me", a2.AccessToken, ""); resp.StatusCode != 401 {
		t.Errorf("run 1's access token at run 2's API: %d, want 401", resp.StatusCode)
	}
	// Run 1's current refresh token rotates in run 2.
	a3, err := refresh(t, fa, a2.RefreshToken)
	if err != nil {
		t.Fatalf("run 1's refresh token in run 2: %v", err)
	}
	if a3.RefreshToken == "" || a3.RefreshToken == a2.RefreshToken {
		t.Fatal("refresh in run 2 did not rotate")
	}
	if resp, me := apiCall(t, "GET", s2.APIBase()+"/me", a3.AccessToken, ""); resp.StatusCode != 200 || me["preferred_username"] != "alice" {
		t.Fatalf("run 2's access token: %d %v", resp.StatusCode, me)
	}
	if id := jwtClaims(t, a3.Extra("id_token").(string)); id["sub"] != "demo-user-alice" || id["iss"] != issuer {
		t.Errorf("ID token from the refresh in run 2: sub %v iss %v", id["sub"], id["iss"])
	}
	// The link rotated out in run 1 is refused, and replaying it revokes the
	// grant: the chain survived the restart.
	_, err = refresh(t, fa, fa.token.RefreshToken)
	wantInvalidGrant(t, err)
	_, err = refresh(t, fa, a3.RefreshToken)
	wantInvalidGrant(t, err)
	if resp, _ := apiCall(t, "GET", s2.APIBase()+"/me", a3.AccessToken, ""); resp.StatusCode != 401 {
		t.Errorf("access token of a grant revoked for reuse: %d, want 401", resp.StatusCode)
	}
	// Revoked in run 1, still revoked.
	_, err = refresh(t, fb, fb.token.RefreshToken)
	wantInvalidGrant(t, err)
	// Grant C rotates in run 2...
	c2, err := refresh(t, fc, fc.token.RefreshToken)
	if err != nil {
		t.Fatalf("grant C in run 2: %v", err)
	}
	closeServer(t, s2)

	// Run 3: ...and its run-2 link works now, while what run 2 revoked stays
	// revoked.
	s3 := startPersisted(t, dir)
	if s3.Issuer() != issuer {
		t.Fatalf("issuer changed again: %s", s3.Issuer())
	}
	if _, err := refresh(t, fc, c2.RefreshToken); err != nil {
		t.Fatalf("grant C's run-2 refresh token in run 3: %v", err)
	}
	_, err = refresh(t, fa, a3.RefreshToken)
	wantInvalidGrant(t, err)
	_, err = refresh(t, fb, fb.token.RefreshToken)
	wantInvalidGrant(t, err)
}

// TestStateDirPortTakenFallsBack: when another program holds the remembered
// port, Start takes an ephemeral one, records it, and the grants still work
// at the new issuer.
func TestStateDirPortTakenFallsBack(t *testing.T) {
	dir := t.TempDir()
	s1 := startPersisted(t, dir)
	f := signIn(t, s1, browserbot.New(browserbot.Options{}))
	old := s1.Issuer()
	closeServer(t, s1)

	blocker, err := net.Listen("tcp", strings.TrimPrefix(old, "http://"))
	if err != nil {
		t.Fatalf("cannot occupy the freed port to run this test: %v", err)
	}
	defer blocker.Close()

	s2 := startPersisted(t, dir)
	if s2.Issuer() == old {
		t.Fatalf("issuer %s unchanged although its port is taken", old)
	}
	st := readState(t, dir)
	u, _ := url.Parse(s2.Issuer())
	if st.Issuer != s2.Issuer() || u.Port() == "" || st.Port != listenerPort(s2.ln) {
		t.Fatalf("state records port %d issuer %q, want the new %s", st.Port, st.Issuer, s2.Issuer())
	}
	moved := *f
	moved.cfg = oauthConfig(s2, f.cfg.RedirectURL)
	if _, err := refresh(t, &moved, f.token.RefreshToken); err != nil {
		t.Fatalf("refresh at the new issuer: %v", err)
	}
	closeServer(t, s2)

	// Once the port is free again the newer port is the one tried.
	blocker.Close()
	s3 := startPersisted(t, dir)
	if s3.Issuer() != s2.Issuer() {
		t.Errorf("third run issuer %s, want the recorded %s", s3.Issuer(), s2.Issuer())
	}
}

// TestStateDirHoldsNoSecrets runs a whole sign-in, refresh, revocation and
// logout with a StateDir and greps every file in it for the secrets
// (security rules 32–33): only hashes may be there. It also checks the modes.
func TestStateDirHoldsNoSecrets(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "loose")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := startPersisted(t, dir)
	f := signIn(t, s, browserbot.New(browserbot.Options{User: "bob"}))
	nt, err := refresh(t, f, f.token.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	f2 := signIn(t, s, browserbot.New(browserbot.Options{}))
	revoke(t, s, f2.token.AccessToken, "access_token")
	revoke(t, s, f2.token.RefreshToken, "access_token") // wrong hint: op hands storage the raw token
	if _, err := refresh(t, f2, f2.token.RefreshToken); err == nil {
		t.Fatal("a refresh token revoked under the wrong hint still works")
	}

	// Written before the answer: the newest link is on disk while running.
	g, l, ok := linkOf(readState(t, dir), nt.RefreshToken)
	if !ok || l.Used || g.Subject != "demo-user-bob" {
		t.Fatalf("the rotated refresh token's grant is not on disk (found %t) — the grep below would prove nothing", ok)
	}
	if _, l, ok := linkOf(readState(t, dir), f.token.RefreshToken); !ok || !l.Used {
		t.Fatal("the rotated-out link is not recorded as used")
	}
	closeServer(t, s)

	secrets := map[string]string{
		"code": f.callback.Get("code"), "state": f.state, "verifier": f.verifier, "nonce": f.nonce,
		"access token": f.token.AccessToken, "refresh token": f.token.RefreshToken,
		"id token":             f.token.Extra("id_token").(string),
		"rotated access token": nt.AccessToken, "rotated refresh token": nt.RefreshToken,
		"rotated id token": nt.Extra("id_token").(string),
		"second code":      f2.callback.Get("code"), "second verifier": f2.verifier,
		"revoked access token": f2.token.AccessToken, "revoked refresh token": f2.token.RefreshToken,
	}
	// JWT parts too, so a token stored split or re-encoded is caught.
	for _, jwt := range []string{f.token.AccessToken, nt.AccessToken, f2.token.AccessToken} {
		secrets["access token payload"] = strings.Split(jwt, ".")[1]
		secrets["access token signature"] = strings.Split(jwt, ".")[2]
		secrets["jti"] = jwtClaims(t, jwt)["jti"].(string)
		checkNoSecrets(t, dir, secrets)
	}

	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("state dir mode %v (err %v), want 0700", fi.Mode().Perm(), err)
		}
	}
}

// checkNoSecrets fails if any file under dir contains a secret value, or is
// not 0600, or is a leftover temporary file.
func checkNoSecrets(t *testing.T, dir string, secrets map[string]string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		if strings.Contains(filepath.Base(path), atomicfile.TempMarker) {
			t.Errorf("temporary file left behind: %s", path)
		}
		if fi, err := d.Info(); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for name, v := range secrets {
			if v != "" && strings.Contains(string(data), v) {
				t.Errorf("the %s appears in %s", name, filepath.Base(path))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 2 {
		t.Errorf("%d files in the state dir, want demo-key.json and demo-state.json", files)
	}
}

// TestStateDirCorruptFilesAreSetAside: a damaged key or state file never
// stops Start; it is kept aside as *.corrupt and replaced.
func TestStateDirCorruptFilesAreSetAside(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	smallJWK, _ := jose.JSONWebKey{Key: small, KeyID: "k", Algorithm: "RS256"}.MarshalJSON()
	pub, _ := newSigningKey()
	pubJWK, _ := jose.JSONWebKey{Key: &pub.private.PublicKey, KeyID: "k", Algorithm: "RS256"}.MarshalJSON()
	hs, _ := jose.JSONWebKey{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "k", Algorithm: "HS256"}.MarshalJSON()

	cases := []struct {
		name       string
		key, state []byte
	}{
		{"garbage", []byte("{\x00not json"), []byte("not json at all")},
		{"empty files", []byte{}, []byte{}},
		{"public key and another version", pubJWK, []byte(`{"version":99,"port":1,"grants":[]}`)},
		{"short RSA key and a truncated file", smallJWK, []byte(`{"version":1,"port":4,"grants":[{"id":"x","client_id":"pkce-desk-demo","sub":"u","refresh_tok`)},
		{"symmetric key and a bad port", hs, []byte(`{"version":1,"port":70000,"grants":[]}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			keyPath, statePath := filepath.Join(dir, keyFileName), filepath.Join(dir, stateFileName)
			if err := os.WriteFile(keyPath, c.key, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(statePath, c.state, 0o644); err != nil {
				t.Fatal(err)
			}
			s := startPersisted(t, dir)
			for path, want := range map[string][]byte{keyPath: c.key, statePath: c.state} {
				got, err := os.ReadFile(path + corruptSuffix)
				if err != nil || string(got) != string(want) {
					t.Fatalf("%s not set aside with its bytes: %v", filepath.Base(path), err)
				}
				if fi, _ := os.Stat(path + corruptSuffix); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
					t.Errorf("set-aside file mode %v, want 0600", fi.Mode().Perm())
				}
			}
			data, _ := os.ReadFile(keyPath)
			k, err := parseSigningKey(data)
			if err != nil || k.ID() != s.storage.key.ID() {
				t.Fatalf("the new key file does not hold the running key: %v", err)
			}
			if st := readState(t, dir); st.Port != listenerPort(s.ln) || len(st.Grants) != 0 {
				t.Fatalf("new state file: port %d grants %d", st.Port, len(st.Grants))
			}
			f := signIn(t, s, browserbot.New(browserbot.Options{}))
			closeServer(t, s)

			// The replacement files are used as they are at the next start.
			s2 := startPersisted(t, dir)
			if s2.storage.key.ID() != k.ID() {
				t.Error("the replacement key was not reused")
			}
			if _, err := refresh(t, f, f.token.RefreshToken); err != nil {
				t.Errorf("refresh after restart: %v", err)
			}
		})
	}
}

// TestStateDirPrunesExpiredGrantsAtLoad writes a state file by hand: a live
// grant is honoured, an expired one and malformed records are dropped from
// memory and from the file.
func TestStateDirPrunesExpiredGrantsAtLoad(t *testing.T) {
	dir := t.TempDir()
	now := time.Now().UTC()
	live, expired := "live-refresh-token-"+oauth2.GenerateVerifier(), "expired-refresh-token-"+oauth2.GenerateVerifier()
	grant := func(id, token string, exp time.Time) grantRecord {
		return grantRecord{
			ID: id, ClientID: PublicClientID, Subject: "demo-user-bob", Audience: []string{PublicClientID},
			AMR: []string{"user"}, AuthTime: now.Add(-time.Hour),
			Links: []linkRecord{{SHA256: hashRefreshToken(token), Scopes: []string{"openid", "orders:read", "offline_access"}, ExpiresAt: exp}},
		}
	}
	bad := grant("bad", "x", now.Add(time.Hour))
	bad.Links[0].SHA256 = strings.ToUpper(bad.Links[0].SHA256)
	st := stateFile{Version: stateFileVersion, Grants: []grantRecord{
		grant("g-live", live, now.Add(time.Hour)),
		grant("g-expired", expired, now.Add(-time.Minute)),
		bad,
		{ID: "no-subject", ClientID: PublicClientID, Links: grant("", "y", now.Add(time.Hour)).Links},
	}}
	data, _ := json.Marshal(st)
	if err := os.WriteFile(filepath.Join(dir, stateFileName), data, 0o600); err != nil {
		t.Fatal(err)
	}

	s := startPersisted(t, dir)
	got := readState(t, dir)
	if len(got.Grants) != 1 || got.Grants[0].ID != "g-live" {
		t.Fatalf("grants after load: %+v, want only g-live", got.Grants)
	}
	f := &flow{cfg: oauthConfig(s, "http://127.0.0.1/callback")}
	tok, err := refresh(t, f, live)
	if err != nil {
		t.Fatalf("live grant from the file: %v", err)
	}
	if sc := jwtClaims(t, tok.AccessToken)["scope"]; sc != "openid orders:read offline_access" {
		t.Errorf("scope %v, want the grant's", sc)
	}
	_, err = refresh(t, f, expired)
	wantInvalidGrant(t, err)
}

// TestStateDirOneServerAtATime: a second Server on a directory in use fails
// with ErrStateDir; after Close the directory is free.
func TestStateDirOneServerAtATime(t *testing.T) {
	dir := t.TempDir()
	s := startPersisted(t, dir)
	if s2, err := Start(t.Context(), Options{StateDir: dir + string(filepath.Separator) + "."}); !errors.Is(err, ErrStateDir) {
		if s2 != nil {
			s2.Close()
		}
		t.Fatalf("second Start on a directory in use: %v, want ErrStateDir", err)
	}
	closeServer(t, s)
	closeServer(t, startPersisted(t, dir))

	// A directory that cannot be one.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := Start(t.Context(), Options{StateDir: file}); !errors.Is(err, ErrStateDir) {
		t.Fatalf("StateDir on a regular file: %v, want ErrStateDir", err)
	}
	// A Start that fails after claiming the directory (its explicit port is
	// taken) leaves the directory free.
	blocker, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Close()
	if s, err := Start(t.Context(), Options{StateDir: dir, Addr: blocker.Addr().String()}); err == nil {
		s.Close()
		t.Fatal("Start on a taken explicit port succeeded")
	} else if errors.Is(err, ErrStateDir) {
		t.Fatalf("port error reported as a state dir error: %v", err)
	}
	closeServer(t, startPersisted(t, dir))
}

// TestStateDirConcurrentRefreshes races refreshes of several grants (the
// writes must neither interleave nor lose a newer state), then restarts:
// every grant's newest token must work.
func TestStateDirConcurrentRefreshes(t *testing.T) {
	dir := t.TempDir()
	s := startPersisted(t, dir)
	bot := browserbot.New(browserbot.Options{})
	const grants, rounds = 4, 3
	flows := make([]*flow, grants)
	latest := make([]string, grants)
	for i := range flows {
		flows[i] = signIn(t, s, bot)
		latest[i] = flows[i].token.RefreshToken
	}
	var wg sync.WaitGroup
	errs := make([]error, grants)
	for i := range grants {
		wg.Go(func() {
			for range rounds {
				tok, err := refresh(t, flows[i], latest[i])
				if err != nil {
					errs[i] = err
					return
				}
				latest[i] = tok.RefreshToken
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("grant %d: %v", i, err)
		}
	}
	// The file on disk already has every newest link, before Close.
	onDisk := readState(t, dir)
	for i, rt := range latest {
		if _, l, ok := linkOf(onDisk, rt); !ok || l.Used {
			t.Errorf("grant %d's newest link is not on disk as usable", i)
		}
	}
	closeServer(t, s)
	startPersisted(t, dir)
	for i, rt := range latest {
		if _, err := refresh(t, flows[i], rt); err != nil {
			t.Errorf("grant %d after restart: %v", i, err)
		}
	}
}

// TestStateDirLogoutSurvivesRestart: RP-initiated logout revokes the user's
// grants, and they stay revoked after a restart.
func TestStateDirLogoutSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	s := startPersisted(t, dir)
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	q := url.Values{"id_token_hint": {f.token.Extra("id_token").(string)}}
	if resp := get(t, s.Issuer()+"/end_session?"+q.Encode()); resp.StatusCode != 302 {
		t.Fatalf("end_session: %d", resp.StatusCode)
	}
	if _, l, ok := linkOf(readState(t, dir), f.token.RefreshToken); !ok || !l.Revoked {
		t.Fatal("logout did not reach the state file before its answer")
	}
	closeServer(t, s)
	startPersisted(t, dir)
	_, err := refresh(t, f, f.token.RefreshToken)
	wantInvalidGrant(t, err)
}
