package browserbot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeApp is the app's loopback receiver: it records callback queries.
type fakeApp struct {
	srv *httptest.Server
	got chan url.Values
}

func newFakeApp(t *testing.T) *fakeApp {
	a := &fakeApp{got: make(chan url.Values, 4)}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.got <- r.URL.Query()
		io.WriteString(w, "<p>Signed in. You can close this tab.</p>")
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *fakeApp) next(t *testing.T) url.Values {
	t.Helper()
	select {
	case q := <-a.got:
		return q
	default:
		t.Fatal("the app's callback was not called")
		return nil
	}
}

// passwordProvider is a plain username/password provider in the style of
// zitadel's example OP: /authorize → /login (form) → POST /login/username →
// redirect to the app with a code. A cookie set on /authorize must come back.
func passwordProvider(t *testing.T, loginApp string) *httptest.Server {
	mux := http.NewServeMux()
	var redirect atomic.Value
	mux.HandleFunc("/authorize", func(w http.ResponseWriter, r *http.Request) {
		redirect.Store(r.URL.Query().Get("redirect_uri") + "?code=c0de&state=" + url.QueryEscape(r.URL.Query().Get("state")))
		http.SetCookie(w, &http.Cookie{Name: "flow", Value: "f1", Path: "/"})
		target := "/login?id=req1"
		if loginApp != "" {
			target = loginApp + "/login?login_challenge=abc"
		}
		http.Redirect(w, r, target, http.StatusFound)
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html><body>
<form method="POST" action="/login/username">
<input type="hidden" name="id" value="req1">
<label>Username <input id="username" name="username"></label>
<label>Password <input name="password" type="password"></label>
<p style="color:red">`+r.URL.Query().Get("err")+`</p>
<button type="submit">Login</button>
</form></body></html>`)
	})
	mux.HandleFunc("/login/username", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", 405)
			return
		}
		r.ParseForm()
		c, err := r.Cookie("flow")
		if err != nil || c.Value != "f1" || r.PostForm.Get("id") != "req1" {
			http.Error(w, "no flow cookie or id", 400)
			return
		}
		if r.PostForm.Get("username") != "test-user" || r.PostForm.Get("password") != "verysecure" {
			http.Redirect(w, r, "/login?id=req1&err=wrong+password", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, redirect.Load().(string), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func authURL(provider, app string) string {
	return provider + "/authorize?" + url.Values{"redirect_uri": {app + "/callback"}, "state": {"xyz"}}.Encode()
}

func TestPasswordFormWithFields(t *testing.T) {
	app := newFakeApp(t)
	p := passwordProvider(t, "")
	bot := New(Options{Fields: map[string]string{"username": "test-user", "password": "verysecure"}})
	if err := bot.Open(t.Context(), authURL(p.URL, app.srv.URL)); err != nil {
		t.Fatal(err)
	}
	if q := app.next(t); q.Get("code") != "c0de" || q.Get("state") != "xyz" {
		t.Fatalf("callback = %v", q)
	}
}

func TestWrongPasswordIsReportedAsStuck(t *testing.T) {
	app := newFakeApp(t)
	p := passwordProvider(t, "")
	bot := New(Options{Fields: map[string]string{"username": "test-user", "password": "nope"}})
	err := bot.Open(t.Context(), authURL(p.URL, app.srv.URL))
	var se *StuckError
	if !errors.As(err, &se) || se.Status != 200 || !strings.Contains(se.Excerpt, "wrong password") || !strings.HasSuffix(se.URL, "/login") {
		t.Fatalf("err = %v, want a StuckError with the page's text", err)
	}
	if strings.Contains(err.Error(), "req1") {
		t.Errorf("error repeats the URL query: %v", err)
	}
	if len(app.got) != 0 {
		t.Fatal("callback was called")
	}
}

func TestLoginAppOnAnotherLoopbackPortIsNotTheCallback(t *testing.T) {
	// Hydra-style: the login UI is on 127.0.0.1 too, on another port, and its
	// URL has no code/error/state; the bot must fill its form, not stop there.
	app := newFakeApp(t)
	var provider *httptest.Server
	loginUI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			fmt.Fprint(w, `<form method="post"><select name="user"><option>alice</option><option value="bob">Bob</option></select><input type="submit" value="Sign in"></form>`)
			return
		}
		r.ParseForm()
		if r.PostForm.Get("user") != "bob" {
			http.Error(w, "expected bob, got "+r.PostForm.Get("user"), 400)
			return
		}
		http.Redirect(w, r, app.srv.URL+"/callback?code=c2&state=s2", http.StatusFound)
	}))
	t.Cleanup(loginUI.Close)
	provider = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, loginUI.URL+"/login?login_challenge=abc", http.StatusFound)
	}))
	t.Cleanup(provider.Close)
	if err := New(Options{User: "bob"}).Open(t.Context(), provider.URL+"/authorize"); err != nil {
		t.Fatal(err)
	}
	if q := app.next(t); q.Get("code") != "c2" {
		t.Fatalf("callback = %v", q)
	}
}

func TestRadioPickerDenyAndGETForm(t *testing.T) {
	app := newFakeApp(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<form action="pick" method="get">
<input type="radio" name="user" value="alice" checked><input type="radio" name="user" value="bob">
<input type="checkbox" name="remember" checked><input type="checkbox" name="spam">
<button>Next</button></form>`)
	})
	mux.HandleFunc("/pick", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("user") != "bob" || q.Get("remember") != "on" || q.Has("spam") {
			http.Error(w, "bad picker values: "+q.Encode(), 400)
			return
		}
		fmt.Fprint(w, `<form method="post" action="/decide"><input type="hidden" name="t" value="1">
<button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button></form>`)
	})
	mux.HandleFunc("/decide", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		http.Redirect(w, r, app.srv.URL+"/callback?state=s&decision="+r.PostForm.Get("decision"), http.StatusSeeOther)
	})
	p := httptest.NewServer(mux)
	t.Cleanup(p.Close)
	for _, deny := range []bool{false, true} {
		if err := New(Options{User: "bob", Deny: deny}).Open(t.Context(), p.URL+"/start"); err != nil {
			t.Fatalf("deny=%t: %v", deny, err)
		}
		want := map[bool]string{false: "allow", true: "deny"}[deny]
		if q := app.next(t); q.Get("decision") != want {
			t.Fatalf("deny=%t: decision %q", deny, q.Get("decision"))
		}
	}
}

func TestRedirectLoopIsBounded(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	err := New(Options{}).Open(t.Context(), srv.URL+"/")
	if !errors.Is(err, ErrTooManySteps) || hits.Load() != MaxSteps {
		t.Fatalf("err = %v after %d requests, want ErrTooManySteps after %d", err, hits.Load(), MaxSteps)
	}
}

func TestPageWithoutFormIsStuck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		io.WriteString(w, "<html><head><title>x</title><script>var secret=1</script></head><body><h1>Internal   error</h1></body></html>")
	}))
	t.Cleanup(srv.Close)
	err := New(Options{}).Open(t.Context(), srv.URL+"/authorize?code_challenge=abc")
	var se *StuckError
	if !errors.As(err, &se) || se.Status != 500 || se.Excerpt != "Internal error" || strings.Contains(se.URL, "code_challenge") {
		t.Fatalf("err = %#v", err)
	}
}

func TestOpenerReturnsAtOnce(t *testing.T) {
	app := newFakeApp(t)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release // the "login" takes until the test says so
		http.Redirect(w, r, app.srv.URL+"/callback?code=c&state=s", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	bot := New(Options{})
	ctx, cancel := context.WithCancel(t.Context())
	if err := bot.Opener()(ctx, srv.URL+"/authorize"); err != nil {
		t.Fatal(err)
	}
	cancel() // the caller's context ending must not abort the browser
	select {
	case <-app.got:
		t.Fatal("callback before the provider answered: opener did not run in the background")
	default:
	}
	close(release)
	wctx, wcancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer wcancel()
	if err := bot.Wait(wctx); err != nil {
		t.Fatalf("background Open: %v", err)
	}
	if q := app.next(t); q.Get("code") != "c" {
		t.Fatalf("callback = %v", q)
	}
}

func TestBadURL(t *testing.T) {
	if err := New(Options{}).Open(t.Context(), "file:///etc/passwd"); err == nil {
		t.Fatal("file URL accepted")
	}
}
