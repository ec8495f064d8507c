package desk

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pkcedesk/store"
	"pkcedesk/view"
)

// A copy of the demo profile must keep working after a restart, when the
// demo provider listens on another port: on disk it keeps the placeholder.
func TestDemoCopySurvivesPortChange(t *testing.T) {
	dir := t.TempDir()
	d, _, _ := newTestDesk(t, dir, nil, "alice")
	ctx := testCtx(t)
	if _, err := d.startDemo(); err != nil {
		t.Fatal(err)
	}
	p, err := d.NewProfile("demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Issuer, "http://127.0.0.1:") {
		t.Fatalf("new demo profile issuer %q", p.Issuer)
	}
	res, err := d.SaveProfile(p)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	raw, err := os.ReadFile(filepath.Join(dir, store.ProfilesFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), d.demo.running().Issuer()) {
		t.Error("the demo's ephemeral issuer was written to disk")
	}
	if v, err := d.SignIn(ctx, res.Profile.ID, false); err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in with the copy: %v %+v", err, v.Error)
	}
}

func TestSaveProfileReportsFieldErrorsAndKeepsSecretInKeychainOnly(t *testing.T) {
	dir := t.TempDir()
	secrets := store.NewMemorySecrets()
	d, _, _ := newTestDesk(t, dir, secrets, "alice")
	bad := view.Profile{Name: "", Issuer: "http://example.com", ClientID: ""}
	res, err := d.SaveProfile(bad)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, e := range res.Errors {
		fields[e.Field] = true
	}
	if !fields["name"] || !fields["issuer"] || !fields["client_id"] {
		t.Errorf("field errors %+v", res.Errors)
	}
	good := view.Profile{Name: "Acme", Issuer: "https://idp.example.com", ClientID: "desk",
		AuthMethod: "client_secret_basic", ClientSecret: "s3cr3t-value-xyz", Scopes: []string{"openid"}}
	res, err = d.SaveProfile(good)
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	if !res.Profile.HasClientSecret || res.Profile.ClientSecret != "" {
		t.Errorf("saved view: has %v, secret echoed %q", res.Profile.HasClientSecret, res.Profile.ClientSecret)
	}
	if v, _ := secrets.Get(res.Profile.ID, store.ClientSecret); v != "s3cr3t-value-xyz" {
		t.Errorf("keychain has %q", v)
	}
	assertNoSecretInDir(t, dir, "s3cr3t-value-xyz")
	if got := d.RedirectURI(res.Profile); got != "http://127.0.0.1/callback" {
		t.Errorf("redirect to register %q", got)
	}
	if err := d.DeleteProfile(res.Profile.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := secrets.Get(res.Profile.ID, store.ClientSecret); err == nil {
		t.Error("delete left the client secret in the keychain")
	}
	if err := d.DeleteProfile(store.DemoProfileID); err == nil {
		t.Error("the built-in demo profile was deleted")
	}
}

func TestExportThenImportThroughFileDialogs(t *testing.T) {
	dir := t.TempDir()
	d, _, _ := newTestDesk(t, dir, nil, "alice")
	res, err := d.SaveProfile(view.Profile{Name: "Team IdP", Issuer: "https://idp.example.com", ClientID: "desk",
		AuthMethod: "client_secret_post", ClientSecret: "team-secret-123", Scopes: []string{"openid", "email"}})
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	file := filepath.Join(t.TempDir(), "profiles.json")
	d.host.SaveFile = func(string, string) (string, error) { return file, nil }
	if got, err := d.ExportProfiles([]string{res.Profile.ID}); err != nil || got != file {
		t.Fatalf("export: %q %v", got, err)
	}
	data, _ := os.ReadFile(file)
	if strings.Contains(string(data), "team-secret-123") {
		t.Fatal("the export contains the client secret")
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v", info.Mode().Perm())
	}

	// A file with one good and one broken profile: the good one comes in,
	// the broken one is reported with its problems.
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	profiles := doc["profiles"].([]any)
	broken := map[string]any{}
	for k, v := range profiles[0].(map[string]any) {
		broken[k] = v
	}
	broken["name"], broken["issuer"] = "Broken", "ftp://nope"
	doc["profiles"] = append(profiles, broken)
	mixed, _ := json.Marshal(doc)
	if err := os.WriteFile(file, mixed, 0o600); err != nil {
		t.Fatal(err)
	}
	d.host.OpenFile = func(string) (string, error) { return file, nil }
	imp, err := d.ImportProfiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Items) != 2 || imp.Items[0].ImportedID == "" || imp.Items[1].ImportedID != "" || len(imp.Items[1].Problems) == 0 {
		t.Fatalf("import result %+v", imp.Items)
	}
	if n := len(d.Profiles()); n != 5 {
		t.Errorf("%d profiles after import, want the three demos + original + imported copy", n)
	}

	// Garbage is refused whole.
	if err := os.WriteFile(file, []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ImportProfiles(); err == nil {
		t.Error("a non-JSON file was accepted")
	}
}
