package demo

import (
	"net/http"
	"testing"

	"pkcedesk/internal/browserbot"
)

// BenchmarkSignIn measures one whole sign-in against a running demo
// provider: authorize → login → consent → callback → code exchange with
// x/oauth2 (PKCE S256). The stand-in browser keeps its session cookie, so
// after the first round the login page is skipped, as in a real browser.
func BenchmarkSignIn(b *testing.B) {
	s := startServer(b, Options{})
	bot := browserbot.New(browserbot.Options{})
	for b.Loop() {
		signIn(b, s, bot)
	}
}

// BenchmarkAPIMe measures GET /api/me with a valid token: RS256 signature
// check, storage lookup and JSON, over loopback HTTP.
func BenchmarkAPIMe(b *testing.B) {
	s := startServer(b, Options{})
	f := signIn(b, s, browserbot.New(browserbot.Options{}))
	for b.Loop() {
		if resp, _ := apiCall(b, "GET", s.APIBase()+"/me", f.token.AccessToken, ""); resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkStart measures starting and closing a Server (RSA-2048 key
// generation dominates).
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		s, err := Start(b.Context(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// benchmarkRefresh measures one refresh-token rotation over loopback HTTP
// with x/oauth2, against a Server started with opts.
func benchmarkRefresh(b *testing.B, opts Options) {
	s := startServer(b, opts)
	f := signIn(b, s, browserbot.New(browserbot.Options{}))
	rt := f.token.RefreshToken
	for b.Loop() {
		tok, err := refresh(b, f, rt)
		if err != nil {
			b.Fatal(err)
		}
		rt = tok.RefreshToken
	}
}

// BenchmarkRefresh measures a rotation with everything in memory.
func BenchmarkRefresh(b *testing.B) { benchmarkRefresh(b, Options{}) }

// BenchmarkRefreshPersisted measures a rotation with a StateDir: the same
// work plus writing the grants (temp file, fsync, rename, directory fsync)
// before the answer.
func BenchmarkRefreshPersisted(b *testing.B) { benchmarkRefresh(b, Options{StateDir: b.TempDir()}) }

// BenchmarkStartPersisted measures starting and closing a Server whose key
// and state are already in its StateDir (no key generation).
func BenchmarkStartPersisted(b *testing.B) {
	dir := b.TempDir()
	s, err := Start(b.Context(), Options{StateDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	for b.Loop() {
		s, err := Start(b.Context(), Options{StateDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
