package ui

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// deskKeyringService is the keychain service PKCE Desk stores its items under
// (store.KeyringService).
const deskKeyringService = "pkce-desk"

// keychainAppInfo mirrors the fields of view.AppInfo the test reads.
type keychainAppInfo struct {
	ConfigDir          string `json:"configDir"`
	KeychainPersistent bool   `json:"keychainPersistent"`
	Notices            []struct {
		Level   string `json:"level"`
		Message string `json:"message"`
	} `json:"notices"`
}

// restoredSession mirrors the fields of view.Session the restore checks read.
type restoredSession struct {
	Status   string `json:"status"`
	Restored bool   `json:"restored"`
	Subject  string `json:"subject"`
	Error    *struct {
		Message string `json:"message"`
		Kind    string `json:"kind"`
	} `json:"error"`
}

// openedURLs records the URLs an app hands to its stand-in system browser.
type openedURLs struct {
	mu   sync.Mutex
	urls []string
}

func (l *openedURLs) add(u string) { l.mu.Lock(); l.urls = append(l.urls, u); l.mu.Unlock() }

func (l *openedURLs) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.urls...)
}

// TestKeepSignedInSurvivesRestart is issue 6's "Done when": with "keep me
// signed in", a sign-in survives quitting and relaunching the app, through
// the real OS keychain (gnome-keyring's Secret Service on a private session
// bus) and with no browser on the second launch (SECURITY.md 22, 32).
//
// One keychain session, one external demo provider (a separate process, so
// its keys, users and refresh tokens outlive the app) and one config dir
// serve two launches of the app:
//
//  1. sign in through the system browser, keychain persistent;
//  2. quit (SIGTERM): no token in any file of the config dir, the refresh
//     token in the keychain;
//  3. relaunch: no URL opened, signed in again with restored=true, the
//     restore on the Flow tab, the rotated refresh token in the keychain
//     (screenshot ui-restored.png);
//  4. sign out: the keychain holds nothing of PKCE Desk any more.
func TestKeepSignedInSurvivesRestart(t *testing.T) {
	started := time.Now()
	lap := func(what string) { t.Logf("%6.1fs %s", time.Since(started).Seconds(), what) }

	keyring := harness.StartKeyring(t)
	provider := harness.StartExternalProvider(t, harness.PlainBinary(t))
	devBin, version := harness.DevBinary(t)
	bin := harness.SharedBusBinary(t, devBin, keyring.BusAddress)
	display := harness.StartXvfb(t)
	browser := harness.NewBrowser(t)
	sb := harness.NewSystemBrowser(harness.SystemBrowserOptions{User: "alice", Decision: "allow"})
	sb.Attach(t, browser)
	lap("keychain, " + provider.String() + ", display and browsers up")

	launch := func(onOpen func(string)) *harness.Env {
		opener := harness.NewOpener(t, onOpen)
		app := harness.StartApp(t, harness.AppOptions{
			Binary: bin, Version: version, Display: display.Name, Opener: opener, Env: keyring.Env(),
		})
		return &harness.Env{App: app, Browser: browser, Opener: opener, Display: display}
	}

	// Launch 1: a profile for the external provider that keeps the user
	// signed in, and a sign-in through the system browser.
	env1 := launch(sb.Open)
	p := appPage{t: t, env: env1}
	p.load()
	lap("app #1 up")
	var info1 keychainAppInfo
	p.evalInto(`window.go.main.App.Info()`, &info1)
	if !info1.KeychainPersistent {
		t.Fatalf("app #1 keeps secrets in memory only: the keychain on %s did not answer; notices: %+v",
			keyring.BusAddress, info1.Notices)
	}
	if want := filepath.Join(keyring.ConfigHome, "pkce-desk"); info1.ConfigDir != want {
		t.Fatalf("app #1 uses config dir %q, want %q (the shared XDG_CONFIG_HOME)", info1.ConfigDir, want)
	}
	id := saveKeptProfile(p, "External demo", provider)
	p.selectProfile(id)
	p.click(testid("signin-button"))
	nextVisit(t, sb, 90*time.Second)
	p.waitStatus("signed_in", 30*time.Second)
	refresh1 := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "refresh")`, id))
	access1 := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "access")`, id))
	idToken1 := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "id")`, id))
	for name, v := range map[string]string{"refresh": refresh1, "access": access1, "ID": idToken1} {
		if len(v) < 16 {
			t.Fatalf("app #1 reveals a %d-character %s token after signing in; want a real token", len(v), name)
		}
	}
	lap("app #1 signed in")

	// Quit cleanly. The tokens must be nowhere in the config dir (SECURITY.md
	// 22: refresh tokens only in the keychain, access and ID tokens only in
	// memory), and the refresh token must be in the keychain.
	if !env1.App.Stop() {
		t.Fatalf("app #1 did not exit within 10 s of SIGTERM")
	}
	lap("app #1 stopped")
	tokens1 := map[string]string{"refresh token": refresh1, "access token": access1, "ID token": idToken1}
	files := assertNoTokensInFiles(t, info1.ConfigDir, tokens1)
	if files == 0 {
		t.Errorf("the config dir %s holds no files after app #1 quit; the profile should have been saved there", info1.ConfigDir)
	}
	// The other folders of the session (HOME, data, cache, runtime) are no
	// place for tokens either; the keyring's own encrypted files are skipped.
	for _, dir := range []string{keyring.Home, keyring.DataHome, keyring.CacheHome, keyring.RuntimeDir} {
		assertNoTokensInFiles(t, dir, tokens1)
	}
	account := id + "/refresh_token"
	if got := keptRefreshTokens(t, keyring, account); len(got) != 1 || got[0] != refresh1 {
		t.Fatalf("after app #1 quit the keychain holds %d %s item(s)%s; want exactly the refresh token app #1 had",
			len(got), account, restoreSameOrNot(got, refresh1))
	}

	// Launch 2: the same folders and keychain. The session comes back from
	// the kept refresh token, without a browser.
	var opened openedURLs
	env2 := launch(opened.add)
	p = appPage{t: t, env: env2}
	p.load()
	lap("app #2 up")
	// From the first frame on, the header of the kept profile reads
	// "restoring", never "signed out", until the session is back.
	p.eval(`(() => {
		window.__statuses = [];
		const rec = () => {
			const el = document.querySelector('[data-testid="status-text"]');
			const s = el ? el.getAttribute('data-status') : 'none';
			if (window.__statuses.at(-1) !== s) window.__statuses.push(s);
		};
		rec();
		new MutationObserver(rec).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
		return 'ok';
	})()`)
	p.waitAsync("app #2 to restore the session from the keychain",
		fmt.Sprintf(`window.go.main.App.Session(%q).then(s => s.status === "signed_in" && s.restored === true)`, id), 30*time.Second)
	lap("app #2 restored the session")
	p.waitJS("the header to show the restored session", `document.querySelector('[data-testid="status-text"]')?.getAttribute('data-status') === 'signed_in'`, step)
	var statuses []string
	p.evalInto(`window.__statuses`, &statuses)
	if slices.Contains(statuses, "signed_out") || statuses[len(statuses)-1] != "signed_in" {
		t.Errorf("app #2's header went through %q while restoring; want restoring (or none yet) then signed_in, never signed_out", statuses)
	}
	var info2 keychainAppInfo
	p.evalInto(`window.go.main.App.Info()`, &info2)
	if !info2.KeychainPersistent || info2.ConfigDir != info1.ConfigDir {
		t.Errorf("app #2: keychainPersistent=%t config dir %q; want true and %q", info2.KeychainPersistent, info2.ConfigDir, info1.ConfigDir)
	}
	var sess restoredSession
	p.evalInto(fmt.Sprintf(`window.go.main.App.Session(%q)`, id), &sess)
	if sess.Subject != "demo-user-alice" {
		t.Errorf("the restored session is for %q, want demo-user-alice", sess.Subject)
	}
	p.selectProfileWithStatus(id, "signed_in")
	if got := p.text(testid("status-text")); !strings.Contains(got, "Alice Anders") {
		t.Errorf("app #2's status line reads %q, want it to name Alice Anders", got)
	}
	p.click(testid("tab-flow"))
	p.waitJS("the restore on the Flow tab", `[...document.querySelectorAll('[data-testid="timeline-event"]')].some(e => /restored/i.test(e.innerText))`, step)
	if !strings.Contains(p.textContent("body"), "refresh token you kept") {
		t.Errorf("app #2 does not say the session came from the kept refresh token; header: %q", p.statusText())
	}
	p.screenshot("ui-restored.png")

	refresh2 := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "refresh")`, id))
	if refresh2 == refresh1 || len(refresh2) < 16 {
		t.Errorf("after the restore the refresh token is unchanged (or missing); the demo provider rotates it on every use")
	}
	if got := keptRefreshTokens(t, keyring, account); len(got) != 1 || got[0] != refresh2 {
		t.Errorf("after the restore the keychain holds %d %s item(s)%s; want exactly the rotated refresh token",
			len(got), account, restoreSameOrNot(got, refresh2))
	}
	if urls := opened.list(); len(urls) != 0 {
		t.Errorf("app #2 opened %d URL(s) in the system browser while restoring: %q; a kept session needs no browser",
			len(urls), withoutQueries(urls))
	}
	lap("app #2 checked")

	// Sign out: the kept refresh token leaves the keychain.
	p.click(testid("signout-button"))
	p.waitStatus("signed_out", 30*time.Second)
	deadline := time.Now().Add(10 * time.Second)
	var left []harness.KeyringItem
	for {
		var err error
		left, err = keyring.Search("service", deskKeyringService)
		if err != nil {
			t.Fatalf("search the keychain after Sign out: %v", err)
		}
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(left) != 0 {
		var labels []string
		for _, it := range left {
			labels = append(labels, it.Label)
		}
		t.Errorf("after Sign out the keychain still holds %d %s item(s): %q", len(left), deskKeyringService, labels)
	}
	if !env2.App.Running() {
		t.Errorf("app #2 exited during the test")
	}
	lap("app #2 signed out; keychain empty")
}

// saveKeptProfile saves, through App.SaveProfile, a profile for the
// provider's public client with "keep me signed in" and offline_access, and
// returns its id.
func saveKeptProfile(p appPage, name string, provider *harness.ExternalProvider) string {
	p.t.Helper()
	var res struct {
		Profile profileInfo `json:"profile"`
		Errors  []struct {
			Field, Message string
		} `json:"errors"`
	}
	p.evalInto(fmt.Sprintf(`window.go.main.App.SaveProfile({name: %q, issuer: %q, clientId: "pkce-desk-demo",
		authMethod: "none", scopes: ["openid", "profile", "email", "offline_access"], params: [], endpoints: {},
		redirectHost: "127.0.0.1", redirectPath: "/callback", timeoutSeconds: 60, apiBase: %q, keepSignedIn: true})`,
		name, provider.Issuer, provider.APIBase), &res)
	if len(res.Errors) > 0 || res.Profile.ID == "" {
		p.t.Fatalf("SaveProfile refused profile %q: %+v", name, res.Errors)
	}
	if provider.ClientID != "pkce-desk-demo" {
		p.t.Fatalf("the demo provider's client is %q, want pkce-desk-demo", provider.ClientID)
	}
	return res.Profile.ID
}

// keptRefreshTokens returns the secrets of the keychain items for account
// under PKCE Desk's service, found with secret-tool search.
func keptRefreshTokens(t *testing.T, k *harness.KeyringSession, account string) []string {
	t.Helper()
	items, err := k.Search("service", deskKeyringService, "username", account)
	if err != nil {
		t.Fatalf("search the keychain: %v", err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.Secret)
	}
	return out
}

// assertNoTokensInFiles reads every regular file under dir (skipping
// gnome-keyring's encrypted keyrings folder) and fails t for each token
// found in one, naming the file and the kind of token, never its value. It
// returns how many files it read.
func assertNoTokensInFiles(t *testing.T, dir string, tokens map[string]string) int {
	t.Helper()
	const maxFile = 64 << 20
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "keyrings" {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Size() > maxFile {
			t.Errorf("%s is %d bytes, too large to search for tokens", path, fi.Size())
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		for kind, value := range tokens {
			if bytes.Contains(data, []byte(value)) {
				t.Errorf("the %s is written in %s (SECURITY.md 22: tokens never in files)", kind, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("search %s for tokens: %v", dir, err)
	}
	return n
}

// restoreSameOrNot says, without printing secrets, whether the one item found
// holds want.
func restoreSameOrNot(got []string, want string) string {
	if len(got) != 1 {
		return ""
	}
	if got[0] == want {
		return " (the expected token)"
	}
	return " (another value than expected)"
}

// withoutQueries drops query strings (which may hold codes) from URLs for messages.
func withoutQueries(urls []string) []string {
	var out []string
	for _, u := range urls {
		base, _, _ := strings.Cut(u, "?")
		out = append(out, base)
	}
	return out
}
