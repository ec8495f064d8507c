package ui

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// hostileClaims are the ID-token claims whose values (and one name) are
// markup: the UI must show them as characters and run none of them
// (SECURITY 26). Each payload sets window.__xss to its own number if it ever
// runs.
var hostileClaims = map[string]any{
	"name":                        `<img src=x onerror=window.__xss=4>`,
	"given_name":                  `</script><script>window.__xss=5</script>`,
	"email":                       `"><img src=x onerror="window.__xss=7">`,
	`<svg onload=window.__xss=6>`: "a claim whose name is markup",
}

// hostileOP is a tiny but correct OpenID provider on 127.0.0.1 whose ID
// tokens carry whatever extra claims the test gives it (markup, for the XSS
// test), properly signed (RS256, JWKS, nonce, at_hash) after a PKCE S256
// check, with an opaque access token that lives 5 minutes. It has no login
// page: /authorize redirects straight back to the loopback redirect URI with
// a code, the state and iss (RFC 9207).
type hostileOP struct {
	t        *testing.T
	srv      *httptest.Server
	key      *rsa.PrivateKey
	clientID string
	extra    map[string]any // claims added to every ID token

	mu           sync.Mutex
	codes        map[string]pendingCode
	pkceVerified int // token requests whose code_verifier matched the challenge
	tokenPosts   int
}

// pendingCode is an issued authorization code and what it was issued for.
type pendingCode struct {
	challenge, nonce, redirectURI string
}

const hostileKID = "hostile-1"

// maxFormBytes caps the token request body the provider reads.
const maxFormBytes = 64 << 10

// newHostileOP starts the provider on 127.0.0.1; extra claims go into every
// ID token it signs (hostileClaims for the XSS test).
func newHostileOP(t *testing.T, clientID string, extra map[string]any) *hostileOP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	op := &hostileOP{t: t, key: key, clientID: clientID, extra: extra, codes: map[string]pendingCode{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("GET /jwks", op.jwks)
	mux.HandleFunc("GET /authorize", op.authorize)
	mux.HandleFunc("POST /token", op.token)
	op.srv = httptest.NewUnstartedServer(mux)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	op.srv.Listener = ln
	op.srv.Config.ReadHeaderTimeout = 5 * time.Second
	op.srv.Start()
	t.Cleanup(op.srv.Close)
	return op
}

// Issuer is the provider's issuer URL.
func (op *hostileOP) Issuer() string { return op.srv.URL }

func (op *hostileOP) discovery(w http.ResponseWriter, r *http.Request) {
	iss := op.Issuer()
	writeJSONBody(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                iss + "/authorize",
		"token_endpoint":                        iss + "/token",
		"jwks_uri":                              iss + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"grant_types_supported":                 []string{"authorization_code"},
		"token_endpoint_auth_methods_supported": []string{"none"},
		"scopes_supported":                      []string{"openid", "profile", "email"},
	})
}

func (op *hostileOP) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSONBody(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &op.key.PublicKey, KeyID: hostileKID, Algorithm: string(jose.RS256), Use: "sig",
	}}})
}

// authorize checks the request the way a strict provider does (code flow,
// known client, loopback redirect, S256 challenge) and redirects back with
// a fresh one-time code.
func (op *hostileOP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Scheme != "http" || net.ParseIP(redirect.Hostname()) == nil || !net.ParseIP(redirect.Hostname()).IsLoopback() {
		http.Error(w, "redirect_uri must be a loopback IP literal", http.StatusBadRequest)
		return
	}
	if q.Get("response_type") != "code" || q.Get("client_id") != op.clientID ||
		q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || q.Get("nonce") == "" {
		http.Error(w, "want response_type=code, the known client_id, an S256 code_challenge and a nonce", http.StatusBadRequest)
		return
	}
	code := randomString()
	op.mu.Lock()
	op.codes[code] = pendingCode{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirectURI: q.Get("redirect_uri")}
	op.mu.Unlock()
	back := redirect.Query()
	back.Set("code", code)
	back.Set("state", q.Get("state"))
	back.Set("iss", op.Issuer())
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// token redeems a code once, verifying the PKCE verifier (RFC 7636 §4.6),
// and answers with an opaque access token and a signed, hostile ID token.
func (op *hostileOP) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeJSONBody(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	op.mu.Lock()
	op.tokenPosts++
	pc, ok := op.codes[r.PostForm.Get("code")]
	delete(op.codes, r.PostForm.Get("code"))
	op.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("client_id") != op.clientID:
		writeJSONBody(w, http.StatusBadRequest, map[string]string{"error": "invalid_client"})
		return
	case !ok || r.PostForm.Get("redirect_uri") != pc.redirectURI:
		writeJSONBody(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "unknown code or redirect_uri"})
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != pc.challenge:
		writeJSONBody(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "code_verifier does not match"})
		return
	}
	op.mu.Lock()
	op.pkceVerified++
	op.mu.Unlock()

	access := randomString()
	atHash := sha256.Sum256([]byte(access))
	now := time.Now()
	claims := map[string]any{
		"iss": op.Issuer(), "sub": "hostile-user", "aud": op.clientID, "azp": op.clientID,
		"exp": now.Add(10 * time.Minute).Unix(), "iat": now.Unix(), "nonce": pc.nonce,
		"at_hash": base64.RawURLEncoding.EncodeToString(atHash[:16]), // OIDC Core §3.1.3.6
	}
	for k, v := range op.extra {
		claims[k] = v
	}
	idToken, err := op.sign(claims)
	if err != nil {
		op.t.Errorf("hostile provider: sign the ID token: %v", err)
		writeJSONBody(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSONBody(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": 300,
		"id_token": idToken, "scope": "openid profile email",
	})
}

func (op *hostileOP) sign(claims map[string]any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: op.key, KeyID: hostileKID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// counts returns how many token requests came and how many passed PKCE.
func (op *hostileOP) counts() (posts, verified int) {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.tokenPosts, op.pkceVerified
}

func writeJSONBody(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomString() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
