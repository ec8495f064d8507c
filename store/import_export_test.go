package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestExportHasNoSecretsAndNoDemo(t *testing.T) {
	sec := NewMemorySecrets()
	s := openTest(t, storeDir(t), WithSecrets(sec))
	if _, err := s.EnsureDemoProfile(""); err != nil {
		t.Fatal(err)
	}
	p := validProfile("Google")
	p.AuthMethod, p.HasClientSecret = AuthClientSecretPost, true
	g := mustSave(t, s, p)
	const secret, rt = "GOCSPX-very-secret-value", "1//refresh-token-value"
	_ = sec.Set(g.ID, ClientSecret, secret)
	_ = sec.Set(g.ID, RefreshToken, rt)

	data, err := s.ExportProfiles(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{secret, rt, `"built_in"`, `"id": "demo"`} {
		if bytes.Contains(data, []byte(bad)) {
			t.Errorf("export contains %q:\n%s", bad, data)
		}
	}
	var f exportFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Kind != ExportKind || f.SchemaVersion != ProfilesSchemaVersion || len(f.Profiles) != 1 || f.Profiles[0].HasClientSecret {
		t.Errorf("export = %+v", f)
	}
	// Asking for the demo explicitly still leaves it out.
	data, err = s.ExportProfiles([]string{DemoProfileID})
	if err != nil || !strings.Contains(string(data), `"profiles": []`) {
		t.Errorf("demo export = %s, %v", data, err)
	}
	if _, err := s.ExportProfiles([]string{"p-nope"}); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestImportMixedGoodAndBad(t *testing.T) {
	src := openTest(t, storeDir(t))
	a := mustSave(t, src, validProfile("Acme"))
	gp := validProfile("Google")
	gp.AuthMethod, gp.HasClientSecret = AuthClientSecretPost, true
	mustSave(t, src, gp)
	data, err := src.ExportProfiles(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Add bad profiles by hand to the export.
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	f["profiles"] = append(f["profiles"].([]any),
		map[string]any{"name": "No client", "issuer": "https://x.example"},
		map[string]any{"name": "Sneaky", "issuer": "http://evil.example", "client_id": "c",
			"params": []any{map[string]any{"key": "redirect_uri", "value": "http://evil.example/cb"}}},
		map[string]any{"name": "Fake demo", "preset": "demo", "issuer": "http://127.0.0.1/", "client_id": "c", "built_in": true},
		map[string]any{"id": a.ID, "name": "Same ID", "issuer": "https://y.example", "client_id": "c", "built_in": true},
	)
	data, _ = json.Marshal(f)

	dst := openTest(t, storeDir(t))
	mustSave(t, dst, validProfile("Acme")) // name clash
	res, err := dst.ImportProfiles(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 6 {
		t.Fatalf("results = %+v", res)
	}
	byName := map[string]ImportResult{}
	for _, r := range res {
		byName[r.Name] = r
	}
	for _, skipped := range []string{"No client", "Sneaky", "Fake demo"} {
		if r := byName[skipped]; r.ImportedID != "" || len(r.Problems) == 0 {
			t.Errorf("%s: %+v, want skipped with problems", skipped, r)
		}
	}
	if !strings.Contains(strings.Join(byName["Sneaky"].Problems, " "), "redirect_uri") ||
		!strings.Contains(strings.Join(byName["Sneaky"].Problems, " "), "https") {
		t.Errorf("Sneaky problems = %v", byName["Sneaky"].Problems)
	}
	if r := byName["Google"]; r.ImportedID == "" || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "client secret") {
		t.Errorf("Google: %+v, want imported with a note to enter the secret", r)
	}
	if r := byName["Acme"]; r.ImportedID == "" || len(r.Problems) != 0 {
		t.Errorf("Acme: %+v", r)
	}
	same := byName["Same ID"]
	if same.ImportedID == "" || same.ImportedID == a.ID {
		t.Errorf("Same ID: %+v, want a fresh id", same)
	}
	got, _ := dst.Profile(same.ImportedID)
	if got.BuiltIn {
		t.Error("import created a built-in profile")
	}
	acme, _ := dst.Profile(byName["Acme"].ImportedID)
	if acme.Name != "Acme (imported)" {
		t.Errorf("name clash not resolved: %q", acme.Name)
	}
	if n := len(dst.Profiles()); n != 4 {
		t.Errorf("profiles after import = %d, want 4", n)
	}
}

func TestImportRefusesWholeFile(t *testing.T) {
	s := openTest(t, storeDir(t))
	good := `{"schema_version":1,"kind":"pkce-desk/profiles","profiles":[{"name":"A","issuer":"https://a.example","client_id":"c"}]}`
	huge := `{"schema_version":1,"kind":"pkce-desk/profiles","pad":"` + strings.Repeat("x", MaxImportBytes) + `","profiles":[]}`
	for _, tc := range []struct {
		name string
		data string
		want error
	}{
		{"too large", huge, ErrImportTooLarge},
		{"not JSON", "name: A\nissuer: https://a.example\n", ErrImportFormat},
		{"truncated", good[:len(good)-5], ErrImportFormat},
		{"other kind", strings.Replace(good, "pkce-desk/profiles", "postman/collection", 1), ErrImportFormat},
		{"newer version", strings.Replace(good, `"schema_version":1`, `"schema_version":9`, 1), ErrImportFormat},
		{"no profiles", `{"schema_version":1,"kind":"pkce-desk/profiles","profiles":[]}`, ErrImportFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.ImportProfiles([]byte(tc.data))
			if !errors.Is(err, tc.want) || res != nil {
				t.Errorf("ImportProfiles = %v, %v; want %v", res, err, tc.want)
			}
			if n := len(s.Profiles()); n != 0 {
				t.Errorf("%d profiles imported from a refused file", n)
			}
		})
	}
	if res, err := s.ImportProfiles([]byte(good)); err != nil || len(res) != 1 || res[0].ImportedID == "" {
		t.Errorf("good file: %+v, %v", res, err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	src := openTest(t, storeDir(t))
	p := validProfile("Round")
	p.Params = []Param{{"audience", "https://api"}}
	p.RedirectHost, p.RedirectPort, p.RedirectPath = "localhost", 8765, "/cb"
	p.APIBase = "https://api.example.com"
	orig := mustSave(t, src, p)
	data, err := src.ExportProfiles([]string{orig.ID})
	if err != nil {
		t.Fatal(err)
	}
	dst := openTest(t, storeDir(t))
	res, err := dst.ImportProfiles(data)
	if err != nil || len(res) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	got, _ := dst.Profile(res[0].ImportedID)
	got.ID, got.CreatedAt, got.UpdatedAt = orig.ID, orig.CreatedAt, orig.UpdatedAt
	if !equalJSON(t, got, orig) {
		t.Errorf("round trip\n%+v\nwant\n%+v", got, orig)
	}
}

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
