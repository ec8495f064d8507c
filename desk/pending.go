package desk

import (
	"context"
	"errors"

	"pkcedesk/view"
)

// errPending marks bindings whose engine is being wired in.
var errPending = errors.New("not wired yet")

func (d *Desk) Profiles() []view.Profile                         { return nil }
func (d *Desk) SelectedProfile() string                          { return "" }
func (d *Desk) SelectProfile(id string) error                    { return errPending }
func (d *Desk) Presets() []view.Preset                           { return nil }
func (d *Desk) NewProfile(presetID string) (view.Profile, error) { return view.Profile{}, errPending }
func (d *Desk) ValidateProfile(p view.Profile) []view.FieldError { return nil }
func (d *Desk) SaveProfile(p view.Profile) (view.SaveResult, error) {
	return view.SaveResult{}, errPending
}
func (d *Desk) DeleteProfile(id string) error                    { return errPending }
func (d *Desk) DuplicateProfile(id string) (view.Profile, error) { return view.Profile{}, errPending }
func (d *Desk) RedirectURI(p view.Profile) string                { return "" }
func (d *Desk) Discover(ctx context.Context, p view.Profile) (view.Discovery, error) {
	return view.Discovery{}, errPending
}
func (d *Desk) ExportProfiles(ids []string) (string, error) { return "", errPending }
func (d *Desk) ImportProfiles() (view.ImportResult, error)  { return view.ImportResult{}, errPending }
func (d *Desk) SignIn(ctx context.Context, id string, another bool) (view.Session, error) {
	return view.Session{}, errPending
}
func (d *Desk) CancelSignIn(id string) {}
func (d *Desk) SignOut(ctx context.Context, id string) (view.SignOutResult, error) {
	return view.SignOutResult{}, errPending
}
func (d *Desk) Session(id string) view.Session    { return view.Session{} }
func (d *Desk) Trace(id string) []view.TraceEvent { return nil }
func (d *Desk) RevealTraceField(id string, seq int, field string) (string, error) {
	return "", errPending
}
func (d *Desk) ExportTrace(id, format string) (string, error) { return "", errPending }
func (d *Desk) RevealToken(id, kind string) (string, error)   { return "", errPending }
func (d *Desk) Refresh(ctx context.Context, id string) (view.Session, error) {
	return view.Session{}, errPending
}
func (d *Desk) Revoke(ctx context.Context, id, kind string) (view.Session, error) {
	return view.Session{}, errPending
}
func (d *Desk) Introspect(ctx context.Context, id, kind string) (string, error) {
	return "", errPending
}
func (d *Desk) UserInfo(ctx context.Context, id string) (view.Session, error) {
	return view.Session{}, errPending
}
func (d *Desk) Send(ctx context.Context, spec view.RequestSpec) (view.Response, error) {
	return view.Response{}, errPending
}
func (d *Desk) CancelSend(requestID string)                             {}
func (d *Desk) History(profileID string) []view.HistoryEntry            { return nil }
func (d *Desk) ClearHistory(profileID string) error                     { return errPending }
func (d *Desk) Curl(spec view.RequestSpec, reveal bool) (string, error) { return "", errPending }
func (d *Desk) Settings() view.Settings                                 { return view.Settings{Theme: "system"} }
func (d *Desk) SaveSettings(s view.Settings) error                      { return errPending }
func (d *Desk) OpenInBrowser(url string) error                          { return errPending }
