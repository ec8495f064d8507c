package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func ccConfig(op *fakeOP) Config {
	return Config{Issuer: op.issuer(), ClientID: "svc", ClientSecret: NewSecret("svc-secret-value-0123456789"),
		AuthMethod: AuthClientSecretBasic, Grant: GrantClientCredentials, Scopes: []string{"orders:read"},
		Params: []Param{{Key: "audience", Value: "https://api.example"}}, Timeout: 10 * time.Second}
}

// Client credentials: one POST with the client's own authentication,
// scope and audience; a refresh_token in the answer is ignored and the
// trace says so; Refresh and an expired TokenSource get a new token with a
// new client_credentials request.
func TestClientCredentialsIgnoresRefreshTokenAndRenews(t *testing.T) {
	op := newFakeOP(t)
	op.dev.ccRefresh, op.dev.ccIDToken = true, true
	ev := &events{}
	clk := newFakeClock()
	var announced int
	s, err := Login(context.Background(), ccConfig(op), LoginOptions{Trace: ev.add, Now: clk.now, OnToken: func(TokenSet) { announced++ }})
	if err != nil {
		t.Fatal(err)
	}
	if s.Grant() != GrantClientCredentials || s.Subject() != "" || s.IDTokenClaims() != nil {
		t.Errorf("grant %q subject %q", s.Grant(), s.Subject())
	}
	tok := s.Token()
	if !tok.RefreshToken.IsZero() || !tok.IDToken.IsZero() || tok.AccessToken.IsZero() || tok.TokenType != "Bearer" {
		t.Fatalf("tokens kept a refresh or ID token: %+v", tok)
	}
	if f := op.dev.lastForm; f.Get("scope") != "orders:read" || f.Get("audience") != "https://api.example" || f.Get("client_secret") != "" {
		t.Errorf("form %v", f)
	}
	if op.lastTokenAuthHeader != "Basic "+basicValue("svc", "svc-secret-value-0123456789") {
		t.Errorf("auth header %q", op.lastTokenAuthHeader)
	}
	if !ev.has("refresh token, which is ignored") || !ev.has("ID token, which is ignored") {
		t.Error("the trace does not say the refresh and ID tokens were ignored")
	}
	if len(kindsOf(ev.all(), KindClientCredentialsRequest)) != 1 || len(kindsOf(ev.all(), KindListenerUp)) != 0 {
		t.Error("wrong trace kinds")
	}
	b, _ := json.Marshal(ev.all())
	if strings.Contains(string(b), "svc-secret-value") || strings.Contains(string(b), "CC-REFRESH") {
		t.Error("trace leaks the client secret or the ignored refresh token")
	}

	first := tok.AccessToken.Reveal()
	nt, err := s.Refresh(context.Background())
	if err != nil || nt.AccessToken.Reveal() == first || !nt.RefreshToken.IsZero() {
		t.Fatalf("refresh: %v", err)
	}
	_ = clk.sleep(context.Background(), 2*time.Hour) // the token expired
	ot, err := s.TokenSource().Token()
	if err != nil || ot.AccessToken == nt.AccessToken.Reveal() {
		t.Fatalf("token source after expiry: %v", err)
	}
	if n := op.count(&op.dev.ccPosts); n != 3 || op.refreshPosts != 0 {
		t.Errorf("%d client_credentials posts, %d refresh posts", n, op.refreshPosts)
	}
	if announced != 3 {
		t.Errorf("OnToken called %d times", announced)
	}
	if len(kindsOf(ev.all(), KindRefreshResponse)) != 2 {
		t.Error("renewals not traced as refresh responses")
	}
}

func TestClientCredentialsNeedsASecret(t *testing.T) {
	cfg := Config{Issuer: "https://op.example", ClientID: "svc", Grant: GrantClientCredentials}
	if err := cfg.Validate(); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "service account") {
		t.Fatalf("no secret: %v", err)
	}
	cfg.AuthMethod = AuthNone
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "needs a client secret") {
		t.Fatalf("AuthNone: %v", err)
	}
	cfg = Config{ClientID: "svc", Grant: GrantClientCredentials, ClientSecret: NewSecret("s"), AuthMethod: AuthClientSecretPost,
		Endpoints: Endpoints{Token: "https://op.example/token"}, Scopes: []string{"openid"}}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("token endpoint alone refused: %v", err)
	}
	if err := (&Config{ClientID: "x", Grant: "implicit"}).Validate(); err == nil {
		t.Error("unknown grant accepted")
	}
}

// A client credentials error is a *ProviderError, shown as elsewhere.
func TestClientCredentialsRejected(t *testing.T) {
	op := newFakeOP(t)
	cfg := ccConfig(op)
	cfg.Params = []Param{{Key: "grant_type", Value: "password"}}
	if _, err := Login(context.Background(), cfg, LoginOptions{}); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("grant_type as a param: %v", err)
	}
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "bad secret"})
	}
	_, err := Login(context.Background(), ccConfig(op), LoginOptions{})
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "invalid_client" || strings.Contains(err.Error(), "svc-secret-value") {
		t.Fatalf("err = %v", err)
	}
}

// Token exchange (RFC 8693): the session's access token is the subject,
// audience/resource/scope/requested_token_type go in the body, the result
// is a new session with its own trace, the subject token masked there.
func TestTokenExchangeMakesANewSession(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	ev := &events{}
	req := ExchangeRequest{Audience: []string{"orders-api"}, Resource: []string{"https://api.example/orders", "https://api.example/users"},
		Scopes: []string{"orders:read"}, RequestedTokenType: TokenTypeAccessToken}
	ns, err := s.ExchangeToken(context.Background(), req, LoginOptions{Trace: ev.add})
	if err != nil {
		t.Fatal(err)
	}
	f := op.dev.lastForm
	if f.Get("subject_token") != s.Token().AccessToken.Reveal() || f.Get("subject_token_type") != TokenTypeAccessToken ||
		f.Get("audience") != "orders-api" || len(f["resource"]) != 2 || f.Get("scope") != "orders:read" ||
		f.Get("requested_token_type") != TokenTypeAccessToken || f.Get("client_id") != "desk-app" {
		t.Errorf("form %v", f)
	}
	if ns == s || ns.Grant() != GrantTokenExchange || ns.IssuedTokenType() != TokenTypeAccessToken || s.IssuedTokenType() != "" {
		t.Errorf("grant %q issued %q", ns.Grant(), ns.IssuedTokenType())
	}
	if !strings.HasPrefix(ns.Token().AccessToken.Reveal(), "EXCHANGED-") || ns.Token().IssuedTokenType != TokenTypeAccessToken {
		t.Error("new session lacks the issued token")
	}
	if s.Token().AccessToken.Reveal() == ns.Token().AccessToken.Reveal() {
		t.Error("parent session changed")
	}
	evs := ev.all()
	if len(kindsOf(evs, KindTokenExchangeRequest)) != 1 || len(kindsOf(evs, KindTokenExchanged)) != 1 {
		t.Fatal("exchange kinds missing")
	}
	if fl, _ := kindsOf(evs, KindTokenExchangeRequest)[0].Field("subject_token"); !fl.Secret {
		t.Error("subject_token not a secret field")
	}
	b, _ := json.Marshal(evs)
	if strings.Contains(string(b), s.Token().AccessToken.Reveal()) || strings.Contains(string(b), ns.Token().AccessToken.Reveal()) {
		t.Error("trace leaks a token")
	}
	if len(s.Trace()) == 0 || len(ns.Trace()) != len(evs) {
		t.Error("the new session's trace is not its own")
	}

	// An ID token as the subject; an N_A token type for a non-access token.
	op.dev.issuedType = TokenTypeJWT
	js, err := s.ExchangeToken(context.Background(), ExchangeRequest{SubjectToken: "id_token", RequestedTokenType: TokenTypeJWT}, LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if op.dev.lastForm.Get("subject_token_type") != TokenTypeIDToken || js.IssuedTokenType() != TokenTypeJWT || js.Token().OAuth2().TokenType != "Bearer" {
		t.Errorf("id_token exchange: %q", js.IssuedTokenType())
	}
	op.dev.issuedType = "-"
	if ms, err := s.ExchangeToken(context.Background(), ExchangeRequest{}, LoginOptions{Trace: ev.add}); err != nil || ms.IssuedTokenType() != TokenTypeAccessToken || !ev.has("no issued_token_type") {
		t.Errorf("missing issued_token_type: %v", err)
	}
}

func TestTokenExchangeErrors(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	op.dev.exchangeError = "invalid_target"
	ev := &events{}
	_, err := s.ExchangeToken(context.Background(), ExchangeRequest{Audience: []string{"nope"}}, LoginOptions{Trace: ev.add})
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "invalid_target" || pe.Endpoint != "token exchange" {
		t.Fatalf("err = %v", err)
	}
	if len(kindsOf(ev.all(), KindError)) != 1 {
		t.Error("no error event")
	}
	if _, err := s.ExchangeToken(context.Background(), ExchangeRequest{SubjectToken: "refresh"}, LoginOptions{}); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("bad subject: %v", err)
	}
	cc, err := Login(context.Background(), ccConfig(op), LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cc.ExchangeToken(context.Background(), ExchangeRequest{SubjectToken: "id_token"}, LoginOptions{}); !errors.Is(err, ErrNoSubjectToken) {
		t.Errorf("no id token: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.ExchangeToken(ctx, ExchangeRequest{}, LoginOptions{}); !errors.Is(err, ErrCanceled) {
		t.Errorf("canceled: %v", err)
	}
}
