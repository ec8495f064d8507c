package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

// testKey is generated once: RSA key generation is slow under -race.
var (
	testKeyOnce sync.Once
	testKeys    [2]*rsa.PrivateKey
)

func rsaKey(i int) *rsa.PrivateKey {
	testKeyOnce.Do(func() {
		for j := range testKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeys[j] = k
		}
	})
	return testKeys[i]
}

type codeGrant struct {
	challenge, method, nonce, redirectURI, clientID, scope string
}

// fakeOP is a small, strict, scriptable OpenID Provider for unit tests.
// Knobs let a test turn it hostile.
type fakeOP struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	kid         string
	key         *rsa.PrivateKey
	codes       map[string]codeGrant
	refresh     map[string]string // refresh token -> sub
	revoked     map[string]bool
	access      map[string]string // access token -> sub
	rotate      bool
	idOnRefresh bool
	accessTTL   int
	sub         string

	// counters
	authorizeHits, tokenPosts, refreshPosts, jwksGets, revokePosts int
	lastAuthRedirect, lastTokenRedirect                            string
	lastAuthQuery                                                  url.Values
	lastTokenForm                                                  url.Values
	lastTokenAuthHeader                                            string

	// hostile knobs
	metaEdit     func(m map[string]any)
	claimsEdit   func(c map[string]any)
	headerEdit   func(h map[string]any) // jose extra headers
	signWith     func(payload []byte) string
	tokenEdit    func(m map[string]any)
	tokenHandler http.HandlerFunc
	callbackEdit func(q url.Values)
	userinfoEdit func(m map[string]any)
	refreshDelay time.Duration
	jwksIssuer   string // adds Entra's "issuer" member to the key

	// grants (fakeop_grants_test.go)
	dev fakeDevice
}

func newFakeOP(t *testing.T) *fakeOP { return newFakeOPWith(t, false) }

// newFakeOPWith starts the fake OP, over TLS with httptest's own CA if tls.
func newFakeOPWith(t *testing.T, useTLS bool) *fakeOP {
	t.Helper()
	op := &fakeOP{t: t, kid: "k1", key: rsaKey(0), codes: map[string]codeGrant{}, refresh: map[string]string{},
		revoked: map[string]bool{}, access: map[string]string{}, accessTTL: 3600, sub: "user-1"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("GET /authorize", op.authorize)
	mux.HandleFunc("POST /token", op.token)
	mux.HandleFunc("GET /jwks", op.jwks)
	mux.HandleFunc("GET /userinfo", op.userinfo)
	mux.HandleFunc("POST /revoke", op.revoke)
	mux.HandleFunc("POST /introspect", op.introspect)
	mux.HandleFunc("POST /device", op.deviceAuthorization)
	op.srv = httptest.NewUnstartedServer(mux)
	if useTLS {
		op.srv.StartTLS()
	} else {
		op.srv.Start()
	}
	t.Cleanup(op.srv.Close)
	return op
}

func (op *fakeOP) issuer() string { return op.srv.URL }

func (op *fakeOP) config() Config {
	return Config{Issuer: op.issuer(), ClientID: "desk-app", Scopes: []string{"openid", "profile", "offline_access"},
		Timeout: 20 * time.Second}
}

func (op *fakeOP) discovery(w http.ResponseWriter, r *http.Request) {
	m := map[string]any{
		"issuer":                                         op.issuer(),
		"authorization_endpoint":                         op.issuer() + "/authorize",
		"token_endpoint":                                 op.issuer() + "/token",
		"jwks_uri":                                       op.issuer() + "/jwks",
		"userinfo_endpoint":                              op.issuer() + "/userinfo",
		"revocation_endpoint":                            op.issuer() + "/revoke",
		"introspection_endpoint":                         op.issuer() + "/introspect",
		"end_session_endpoint":                           op.issuer() + "/logout",
		"code_challenge_methods_supported":               []string{"S256"},
		"id_token_signing_alg_values_supported":          []string{"RS256"},
		"authorization_response_iss_parameter_supported": true,
	}
	op.mu.Lock()
	edit := op.metaEdit
	op.mu.Unlock()
	if edit != nil {
		edit(m)
	}
	writeJSON(w, 200, m)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (op *fakeOP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	op.mu.Lock()
	op.authorizeHits++
	op.lastAuthRedirect = q.Get("redirect_uri")
	op.lastAuthQuery = q
	code := randomToken()
	op.codes[code] = codeGrant{challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"),
		nonce: q.Get("nonce"), redirectURI: q.Get("redirect_uri"), clientID: q.Get("client_id"), scope: q.Get("scope")}
	edit := op.callbackEdit
	op.mu.Unlock()
	cb := url.Values{"code": {code}, "state": {q.Get("state")}, "iss": {op.issuer()}}
	if edit != nil {
		edit(cb)
	}
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+cb.Encode(), http.StatusFound)
}

func (op *fakeOP) sign(claims map[string]any) string {
	payload, _ := json.Marshal(claims)
	op.mu.Lock()
	signWith, headerEdit, key, kid := op.signWith, op.headerEdit, op.key, op.kid
	op.mu.Unlock()
	if signWith != nil {
		return signWith(payload)
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if headerEdit != nil {
		h := map[string]any{}
		headerEdit(h)
		for k, v := range h {
			opts = opts.WithHeader(jose.HeaderKey(k), v)
		}
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, opts)
	if err != nil {
		op.t.Fatal(err)
	}
	jws, err := s.Sign(payload)
	if err != nil {
		op.t.Fatal(err)
	}
	out, _ := jws.CompactSerialize()
	return out
}

func atHash(at string) string {
	h := sha256.Sum256([]byte(at))
	return base64.RawURLEncoding.EncodeToString(h[:16])
}

func (op *fakeOP) idToken(nonce, clientID, accessToken string) string {
	now := time.Now()
	c := map[string]any{"iss": op.issuer(), "sub": op.sub, "aud": clientID, "exp": now.Add(time.Hour).Unix(),
		"iat": now.Unix(), "at_hash": atHash(accessToken), "name": "Alice"}
	if nonce != "" {
		c["nonce"] = nonce
	}
	op.mu.Lock()
	edit := op.claimsEdit
	op.mu.Unlock()
	if edit != nil {
		edit(c)
	}
	return op.sign(c)
}

func (op *fakeOP) token(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	h := op.tokenHandler
	op.tokenPosts++
	op.lastTokenAuthHeader = r.Header.Get("Authorization")
	op.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, 400, map[string]string{"error": "invalid_request"})
		return
	}
	op.mu.Lock()
	op.lastTokenForm = r.PostForm
	op.mu.Unlock()
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		op.mu.Lock()
		g, ok := op.codes[r.PostForm.Get("code")]
		delete(op.codes, r.PostForm.Get("code"))
		op.lastTokenRedirect = r.PostForm.Get("redirect_uri")
		op.mu.Unlock()
		switch {
		case !ok:
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "unknown code"})
			return
		case g.method != "S256" || oauth2.S256ChallengeFromVerifier(r.PostForm.Get("code_verifier")) != g.challenge:
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "PKCE verification failed"})
			return
		case g.redirectURI != r.PostForm.Get("redirect_uri"):
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "redirect_uri mismatch"})
			return
		}
		op.issue(w, g.nonce, g.clientID, g.scope, true)
	case "refresh_token":
		op.mu.Lock()
		op.refreshPosts++
		rt := r.PostForm.Get("refresh_token")
		_, ok := op.refresh[rt]
		if ok && op.rotate {
			delete(op.refresh, rt)
		}
		delay, idOn := op.refreshDelay, op.idOnRefresh
		op.mu.Unlock()
		if delay > 0 {
			time.Sleep(delay)
		}
		if !ok {
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "refresh token expired"})
			return
		}
		op.issue(w, "", "desk-app", "openid profile", idOn)
	default:
		op.otherGrant(w, r)
	}
}

func (op *fakeOP) issue(w http.ResponseWriter, nonce, clientID, scope string, withID bool) {
	at := randomToken()
	op.mu.Lock()
	op.access[at] = op.sub
	ttl := op.accessTTL
	edit := op.tokenEdit
	rotate := op.rotate
	var rt string
	if rotate || len(op.refresh) == 0 {
		rt = randomToken()
		op.refresh[rt] = op.sub
	}
	op.mu.Unlock()
	m := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": ttl, "scope": scope}
	if rt != "" {
		m["refresh_token"] = rt
	}
	if withID && strings.Contains(scope, "openid") {
		m["id_token"] = op.idToken(nonce, clientID, at)
	}
	if edit != nil {
		edit(m)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, 200, m)
}

func (op *fakeOP) jwks(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	op.jwksGets++
	key, kid, iss := op.key, op.kid, op.jwksIssuer
	op.mu.Unlock()
	jwk, _ := jose.JSONWebKey{Key: key.Public(), KeyID: kid, Algorithm: "RS256", Use: "sig"}.MarshalJSON()
	var m map[string]any
	_ = json.Unmarshal(jwk, &m)
	if iss != "" {
		m["issuer"] = iss
	}
	writeJSON(w, 200, map[string]any{"keys": []any{m, map[string]any{"kty": "unknown-type", "kid": "x"}}})
}

func (op *fakeOP) userinfo(w http.ResponseWriter, r *http.Request) {
	at := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	op.mu.Lock()
	sub, ok := op.access[at]
	rev := op.revoked[at]
	edit := op.userinfoEdit
	op.mu.Unlock()
	if !ok || rev {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(401)
		return
	}
	m := map[string]any{"sub": sub, "name": "Alice"}
	if edit != nil {
		edit(m)
	}
	writeJSON(w, 200, m)
}

func (op *fakeOP) revoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	op.mu.Lock()
	op.revokePosts++
	tok := r.PostForm.Get("token")
	op.revoked[tok] = true
	delete(op.refresh, tok)
	op.mu.Unlock()
	w.WriteHeader(200)
}

func (op *fakeOP) introspect(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	tok := r.PostForm.Get("token")
	op.mu.Lock()
	sub, ok := op.access[tok]
	if _, isRT := op.refresh[tok]; isRT {
		ok, sub = true, op.sub
	}
	active := ok && !op.revoked[tok]
	op.mu.Unlock()
	m := map[string]any{"active": active}
	if active {
		m["sub"] = sub
		m["client_id"] = "desk-app"
	}
	writeJSON(w, 200, m)
}

// rotateKey switches the signing key and kid (key rotation at the provider).
func (op *fakeOP) rotateKey() {
	op.mu.Lock()
	op.key, op.kid = rsaKey(1), "k2"
	op.mu.Unlock()
}

func (op *fakeOP) count(p *int) int {
	op.mu.Lock()
	defer op.mu.Unlock()
	return *p
}

// httpBrowser is a stand-in browser: it follows the redirects from the
// authorization endpoint to the loopback callback, in the background.
type httpBrowser struct {
	mu      sync.Mutex
	opened  []string
	results chan int
	before  func(authURL string) // e.g. send forged callbacks first
	sync    bool
	// insecureTLS lets the stand-in browser reach an httptest TLS server.
	insecureTLS bool
}

func newBrowser() *httpBrowser { return &httpBrowser{results: make(chan int, 8)} }

func (b *httpBrowser) open(ctx context.Context, u string) error {
	b.mu.Lock()
	b.opened = append(b.opened, u)
	b.mu.Unlock()
	run := func() {
		if b.before != nil {
			b.before(u)
		}
		c := &http.Client{Timeout: 10 * time.Second}
		if b.insecureTLS {
			c.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
		}
		req, _ := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodGet, u, nil)
		resp, err := c.Do(req)
		if err != nil {
			b.results <- -1
			return
		}
		resp.Body.Close()
		b.results <- resp.StatusCode
	}
	if b.sync {
		run()
	} else {
		go run()
	}
	return nil
}
