package main

import (
	"context"
	"log/slog"
	"os"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"pkcedesk/desk"
	"pkcedesk/internal/launch"
	"pkcedesk/view"
)

// App is the set of bindings the frontend calls. It only translates: every
// call goes to the desk package, which holds the app's state and logic, and
// Wails runtime services (events, the system browser, dialogs) are handed to
// desk as plain functions.
type App struct {
	ctx       context.Context
	desk      *desk.Desk
	shown     chan struct{}
	shownOnce sync.Once
}

// NewApp reads the settings the window needs and starts loading the
// profiles in the background (desk.Open); the keychain waits for startup.
func NewApp(version string) *App {
	d, err := desk.Open(desk.Options{Version: version, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	if err != nil {
		// desk.Open only fails when no config dir can be made at all; the
		// window still opens and shows the problem.
		slog.Error("open desk", "err", err)
	}
	return &App{desk: d, shown: make(chan struct{})}
}

func (a *App) windowSize() (int, int) { return a.desk.WindowSize() }

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.desk.Start(ctx, desk.Host{
		Emit: func(name string, data any) { runtime.EventsEmit(ctx, name, data) },
		// Not runtime.BrowserOpenURL: it swallows a failed launch.
		OpenBrowser: func(url string) error { return launch.Open(ctx, url) },
		Raise:       func() { a.raise(ctx) },
		SaveFile: func(title, name string) (string, error) {
			return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name})
		},
		OpenFile: func(title string) (string, error) {
			return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title})
		},
		Shown: a.shown,
	})
}

func (a *App) domReady(context.Context) { a.shownOnce.Do(func() { close(a.shown) }) }

func (a *App) beforeClose(ctx context.Context) bool {
	w, h := runtime.WindowGetSize(ctx)
	a.desk.RememberWindowSize(w, h)
	return false
}

func (a *App) shutdown(context.Context) { a.desk.Close() }

func (a *App) secondInstance(options.SecondInstanceData) { a.raise(a.ctx) }

// raise brings the window back to the front: a second launch, or the
// browser handing a sign-in back.
func (a *App) raise(ctx context.Context) {
	runtime.WindowUnminimise(ctx)
	runtime.WindowShow(ctx)
}

// Info describes the app for the About panel, with start-up notices.
func (a *App) Info() view.AppInfo { return a.desk.Info() }

// Profiles lists the saved profiles, the built-in demo first.
func (a *App) Profiles() []view.Profile { return a.desk.Profiles() }

// SelectedProfile is the id of the profile selected last time.
func (a *App) SelectedProfile() string { return a.desk.SelectedProfile() }

// SelectProfile remembers the selected profile.
func (a *App) SelectProfile(id string) error { return a.desk.SelectProfile(id) }

// Presets lists the provider presets for a new profile.
func (a *App) Presets() []view.Preset { return a.desk.Presets() }

// NewProfile returns an unsaved profile prefilled from a preset.
func (a *App) NewProfile(presetID string) (view.Profile, error) { return a.desk.NewProfile(presetID) }

// ValidateProfile checks a profile as the user types.
func (a *App) ValidateProfile(p view.Profile) []view.FieldError { return a.desk.ValidateProfile(p) }

// SaveProfile validates and saves a profile (and its client secret in the keychain).
func (a *App) SaveProfile(p view.Profile) (view.SaveResult, error) { return a.desk.SaveProfile(p) }

// DeleteProfile deletes a profile, its secrets and its history.
func (a *App) DeleteProfile(id string) error { return a.desk.DeleteProfile(id) }

// DuplicateProfile saves a copy of a profile, without its secrets.
func (a *App) DuplicateProfile(id string) (view.Profile, error) { return a.desk.DuplicateProfile(id) }

// RedirectURI is the redirect URI the user must register with the provider.
func (a *App) RedirectURI(p view.Profile) string { return a.desk.RedirectURI(p) }

// Discover fetches the issuer's metadata for the profile editor.
func (a *App) Discover(p view.Profile) (view.Discovery, error) { return a.desk.Discover(a.ctx, p) }

// CancelDiscover stops a running Discover for the profile id ("" for an unsaved profile).
func (a *App) CancelDiscover(profileID string) { a.desk.CancelDiscover(profileID) }

// TrustEndpointOrigins records the user's yes to endpoint origins outside the issuer.
func (a *App) TrustEndpointOrigins(profileID string, origins []string) (view.Profile, error) {
	return a.desk.TrustEndpointOrigins(profileID, origins)
}

// ReservedParams are the parameter names a profile's extra parameters may not use.
func (a *App) ReservedParams() []string { return a.desk.ReservedParams() }

// ExportProfiles writes the given profiles, without secrets, to a file the user picks.
func (a *App) ExportProfiles(ids []string) (string, error) { return a.desk.ExportProfiles(ids) }

// ImportProfiles reads profiles from a file the user picks.
func (a *App) ImportProfiles() (view.ImportResult, error) { return a.desk.ImportProfiles() }

// SignIn runs the sign-in flow in the system browser; trace events stream meanwhile.
func (a *App) SignIn(id string) (view.Session, error) { return a.desk.SignIn(a.ctx, id, false) }

// SignInAsAnotherUser signs in with prompt=login.
func (a *App) SignInAsAnotherUser(id string) (view.Session, error) {
	return a.desk.SignIn(a.ctx, id, true)
}

// PasteRedirect hands a waiting (or timed-out) sign-in the address the
// browser ended on; the error text is the refusal reason.
func (a *App) PasteRedirect(profileID, raw string) error {
	return a.desk.PasteRedirect(a.ctx, profileID, raw)
}

// OpenAuthorizationAgain opens the waiting sign-in's page in the system browser again.
func (a *App) OpenAuthorizationAgain(profileID string) error {
	return a.desk.OpenAuthorizationAgain(profileID)
}

// ExchangeToken exchanges the session's token (RFC 8693); the result is a
// new transient session, returned as its sidebar entry.
func (a *App) ExchangeToken(profileID string, req view.ExchangeRequest) (view.Profile, error) {
	return a.desk.ExchangeToken(a.ctx, profileID, req)
}

// CancelSignIn stops a sign-in that is waiting for the browser.
func (a *App) CancelSignIn(id string) { a.desk.CancelSignIn(id) }

// SignOut revokes, logs out at the provider when it supports it, and forgets kept secrets.
func (a *App) SignOut(id string) (view.SignOutResult, error) { return a.desk.SignOut(a.ctx, id) }

// Session is the profile's current session, masked.
func (a *App) Session(id string) view.Session { return a.desk.Session(id) }

// Trace is the profile's last flow, masked.
func (a *App) Trace(id string) []view.TraceEvent { return a.desk.Trace(id) }

// RevealTraceField returns one secret value of a trace event, on the user's explicit click.
func (a *App) RevealTraceField(id string, seq int, field string) (string, error) {
	return a.desk.RevealTraceField(id, seq, field)
}

// ExportTrace renders the profile's last flow as "markdown" or "json", secrets masked.
func (a *App) ExportTrace(id, format string) (string, error) { return a.desk.ExportTrace(id, format) }

// RevealToken returns a token's real value ("access", "id" or "refresh"), on an explicit click.
func (a *App) RevealToken(id, kind string) (string, error) { return a.desk.RevealToken(id, kind) }

// Refresh refreshes the access token now.
func (a *App) Refresh(id string) (view.Session, error) { return a.desk.Refresh(a.ctx, id) }

// Revoke revokes the "access" or "refresh" token at the provider (RFC 7009).
func (a *App) Revoke(id, kind string) (view.Session, error) { return a.desk.Revoke(a.ctx, id, kind) }

// Introspect asks the provider about a token (RFC 7662); the answer as pretty JSON.
func (a *App) Introspect(id, kind string) (string, error) { return a.desk.Introspect(a.ctx, id, kind) }

// UserInfo fetches the UserInfo endpoint again.
func (a *App) UserInfo(id string) (view.Session, error) { return a.desk.UserInfo(a.ctx, id) }

// Send sends a test request with the profile's token attached.
func (a *App) Send(spec view.RequestSpec) (view.Response, error) { return a.desk.Send(a.ctx, spec) }

// CancelSend cancels a request in flight.
func (a *App) CancelSend(requestID string) { a.desk.CancelSend(requestID) }

// ResponseBodyPart returns part i of a big response body that Send left
// out (which: "body" or "pretty"); see view.Response.BodyParts.
func (a *App) ResponseBodyPart(requestID, which string, i int) (string, error) {
	return a.desk.ResponseBodyPart(requestID, which, i)
}

// History lists a profile's sent requests, newest first, without tokens.
func (a *App) History(profileID string) []view.HistoryEntry { return a.desk.History(profileID) }

// ClearHistory forgets a profile's sent requests.
func (a *App) ClearHistory(profileID string) error { return a.desk.ClearHistory(profileID) }

// Curl renders a request as a curl command; the token is real only when reveal is true.
func (a *App) Curl(spec view.RequestSpec, reveal bool) (string, error) {
	return a.desk.Curl(spec, reveal)
}

// Settings are the app-wide preferences.
func (a *App) Settings() view.Settings { return a.desk.Settings() }

// SaveSettings stores the app-wide preferences.
func (a *App) SaveSettings(s view.Settings) error { return a.desk.SaveSettings(s) }

// OpenInBrowser opens a link in the system browser, never in the app's webview.
func (a *App) OpenInBrowser(url string) error { return a.desk.OpenInBrowser(url) }
