package harness

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeOP is a provider with a plain login form (username/password), an
// error page, and a logout that lands on a "signed out" page; callback is
// the app's loopback listener on another port.
type fakeOP struct {
	srv, callback *httptest.Server
	callbacks     atomic.Int32
}

func newFakeOP(t *testing.T) *fakeOP {
	t.Helper()
	op := &fakeOP{}
	op.callback = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op.callbacks.Add(1)
		fmt.Fprint(w, "<html><body><p>Signed in: return to the app.</p></body></html>")
	}))
	t.Cleanup(op.callback.Close)
	loginForm := func(w http.ResponseWriter, state, note string) {
		fmt.Fprintf(w, `<html><body><p>%s</p><form method="post" action="/login">
<input type="hidden" name="state" value="%s">
<input name="username"><input type="password" name="password">
<button type="submit">Log in</button></form></body></html>`, note, html.EscapeString(state))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("redirect_uri") != op.callback.URL+"/callback" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, "<html><body><h1>Error</h1><p>invalid_request: the redirect_uri is not registered</p></body></html>")
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s1", Path: "/"})
		loginForm(w, r.URL.Query().Get("state"), "Sign in")
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("sid"); err != nil || c.Value != "s1" {
			http.Error(w, "no session cookie", http.StatusBadRequest)
			return
		}
		if r.PostFormValue("username") != "u" || r.PostFormValue("password") != "p" {
			loginForm(w, r.PostFormValue("state"), "wrong username or password")
			return
		}
		http.Redirect(w, r, op.callback.URL+"/callback?code=c1&state="+url.QueryEscape(r.PostFormValue("state")), http.StatusFound)
	})
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/logged-out", http.StatusFound)
	})
	mux.HandleFunc("GET /logged-out", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><body><script>var x = 1;</script><p>You have been signed out successfully.</p></body></html>")
	})
	op.srv = httptest.NewServer(mux)
	t.Cleanup(op.srv.Close)
	return op
}

func (op *fakeOP) authURL(redirect string) string {
	return op.srv.URL + "/authorize?client_id=c&state=st&redirect_uri=" + url.QueryEscape(redirect)
}

func visitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestFormBrowserSignsInToTheCallback(t *testing.T) {
	op := newFakeOP(t)
	b := NewFormBrowser(map[string]string{"username": "u", "password": "p"})
	page, err := b.Visit(visitCtx(t), op.authURL(op.callback.URL+"/callback"))
	if err != nil {
		t.Fatalf("Visit: %v", err)
	}
	if page.Stopped || page.Status != http.StatusOK || "http://"+page.URL.Host != op.callback.URL || page.URL.Path != "/callback" {
		t.Fatalf("ended at %s (HTTP %d, stopped %t), want the callback page", RedactURL(page.URL), page.Status, page.Stopped)
	}
	if !strings.Contains(page.Text(), "return to the app") {
		t.Errorf("page text %q", page.Text())
	}
	if op.callbacks.Load() != 1 {
		t.Errorf("the callback was requested %d times, want 1", op.callbacks.Load())
	}
	if trail := strings.Join(page.Trail, " → "); strings.Contains(trail, "c1") || !strings.Contains(trail, "POST "+op.srv.URL+"/login") {
		t.Errorf("trail %q: want the form post, and no code", trail)
	}
}

func TestFormBrowserStopsBeforeTheCallback(t *testing.T) {
	op := newFakeOP(t)
	b := NewFormBrowser(map[string]string{"username": "u", "password": "p"})
	b.StopAt = func(u *url.URL) bool { return "http://"+u.Host == op.callback.URL }
	page, err := b.Visit(visitCtx(t), op.authURL(op.callback.URL+"/callback"))
	if err != nil {
		t.Fatalf("Visit: %v", err)
	}
	if !page.Stopped || page.URL.Query().Get("code") != "c1" || page.URL.Query().Get("state") != "st" {
		t.Fatalf("page %+v: want stopped at the callback with code and state", page)
	}
	if n := op.callbacks.Load(); n != 0 {
		t.Errorf("the callback was requested %d times although StopAt matched it", n)
	}
}

func TestFormBrowserReportsErrorPages(t *testing.T) {
	op := newFakeOP(t)
	page, err := NewFormBrowser(nil).Visit(visitCtx(t), op.authURL("http://localhost:9/callback"))
	var pe *PageError
	if !errors.As(err, &pe) {
		t.Fatalf("Visit = %v, want a *PageError", err)
	}
	if pe.Page.Status != http.StatusBadRequest || !strings.Contains(pe.Page.Text(), "redirect_uri is not registered") || page != pe.Page {
		t.Errorf("PageError page: HTTP %d %q", pe.Page.Status, pe.Page.Text())
	}
}

func TestFormBrowserGivesUpOnAFormThatComesBack(t *testing.T) {
	op := newFakeOP(t)
	_, err := NewFormBrowser(map[string]string{"username": "u", "password": "wrong"}).
		Visit(visitCtx(t), op.authURL(op.callback.URL+"/callback"))
	var pe *PageError
	if !errors.As(err, &pe) || !strings.Contains(pe.Page.Text(), "wrong username or password") {
		t.Fatalf("Visit = %v, want a *PageError on the login form", err)
	}
	if op.callbacks.Load() != 0 {
		t.Error("the callback was reached with a wrong password")
	}
}

// A page with nothing to submit ends the visit without an error: this is
// how a logout lands on the provider's "signed out" page. It also pins the
// browserbot reason text the FormBrowser relies on (noFormReason).
func TestFormBrowserEndsOnAPageWithoutAForm(t *testing.T) {
	op := newFakeOP(t)
	page, err := NewFormBrowser(nil).Visit(visitCtx(t), op.srv.URL+"/logout?id_token_hint=secret")
	if err != nil {
		t.Fatalf("Visit: %v", err)
	}
	if page.URL.Path != "/logged-out" || page.Text() != "You have been signed out successfully." {
		t.Fatalf("ended at %s with %q", RedactURL(page.URL), page.Text())
	}
	if trail := strings.Join(page.Trail, " "); strings.Contains(trail, "secret") {
		t.Errorf("the trail shows the id_token_hint: %s", trail)
	}
}

func TestRedactURLKeepsOnlyHarmlessParams(t *testing.T) {
	u, _ := url.Parse("http://u:pw@127.0.0.1:1/cb?code=abc&state=s&error=access_denied#frag")
	got := RedactURL(u)
	if strings.Contains(got, "abc") || strings.Contains(got, "pw") || strings.Contains(got, "frag") || !strings.Contains(got, "error=access_denied") {
		t.Errorf("RedactURL = %s", got)
	}
}
