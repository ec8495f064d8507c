package store

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCorruptFilesAreSetAsideWithNotice(t *testing.T) {
	for _, tc := range []struct {
		name, file, content string
	}{
		{"truncated profiles", ProfilesFile, `{"schema_version":1,"profiles":[{"id":"p-1","na`},
		{"profiles wrong shape", ProfilesFile, `{"schema_version":1,"profiles":{"a":1}}`},
		{"profiles trailing garbage", ProfilesFile, `{"schema_version":1,"profiles":[]} {}`},
		{"profiles not an object", ProfilesFile, `[1,2,3]`},
		{"settings binary", SettingsFile, "\x00\x01\x02garbage"},
		{"settings without version", SettingsFile, `{"settings":{"theme":"dark"}}`},
		{"history wrong type", HistoryFile, `{"schema_version":1,"entries":"nope"}`},
		{"empty file", HistoryFile, ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := storeDir(t)
			writeFile(t, join(dir, tc.file), tc.content, 0o600)

			s := openTest(t, dir, withClock(fixedClock()))
			ns := s.Notices()
			if len(ns) != 1 || ns[0].Code != NoticeCorruptFile {
				t.Fatalf("notices = %+v, want one corrupt_file", ns)
			}
			wantMoved := join(dir, tc.file+".corrupt-20261125T130501Z")
			if ns[0].MovedTo != wantMoved || ns[0].File != join(dir, tc.file) {
				t.Errorf("notice file/moved_to = %q/%q, want %q", ns[0].File, ns[0].MovedTo, wantMoved)
			}
			if !strings.Contains(ns[0].Message, filepath.Base(wantMoved)) || !strings.Contains(ns[0].Message, "defaults") {
				t.Errorf("message does not say where the file went and what happened: %q", ns[0].Message)
			}
			kept, err := os.ReadFile(wantMoved)
			if err != nil || string(kept) != tc.content {
				t.Errorf("set-aside content = %q, %v; want the original bytes", kept, err)
			}
			if _, err := os.Stat(join(dir, tc.file)); !os.IsNotExist(err) {
				t.Errorf("corrupt file still in place")
			}
			// Defaults loaded.
			if len(s.Profiles()) != 0 || s.Settings() != DefaultSettings() || len(s.History("p-1")) != 0 {
				t.Errorf("not defaults: profiles=%v settings=%+v", s.Profiles(), s.Settings())
			}
			// And the store keeps working.
			mustSave(t, s, validProfile("After"))
		})
	}
}

func TestSetAsideNeverOverwritesAnEarlierCopy(t *testing.T) {
	dir := storeDir(t)
	for i := range 3 {
		writeFile(t, join(dir, ProfilesFile), "broken "+string(rune('a'+i)), 0o600)
		openTest(t, dir, withClock(fixedClock()))
	}
	base := join(dir, ProfilesFile+".corrupt-20261125T130501Z")
	for i, p := range []string{base, base + "-2", base + "-3"} {
		b, err := os.ReadFile(p)
		if err != nil || string(b) != "broken "+string(rune('a'+i)) {
			t.Errorf("%s = %q, %v", filepath.Base(p), b, err)
		}
	}
}

func TestNewerVersionIsSetAsideNotOverwritten(t *testing.T) {
	dir := storeDir(t)
	future := `{"schema_version":7,"profiles":[{"id":"p-x","name":"From the future","flux":"capacitor"}]}`
	writeFile(t, join(dir, ProfilesFile), future, 0o600)

	s := openTest(t, dir, withClock(fixedClock()))
	ns := s.Notices()
	if len(ns) != 1 || ns[0].Code != NoticeNewerVersion {
		t.Fatalf("notices = %+v, want one newer_version", ns)
	}
	if !strings.Contains(ns[0].Message, "newer version") {
		t.Errorf("message = %q", ns[0].Message)
	}
	kept, err := os.ReadFile(ns[0].MovedTo)
	if err != nil || string(kept) != future {
		t.Fatalf("future file not kept intact: %q %v", kept, err)
	}
	if !strings.HasSuffix(ns[0].MovedTo, ".v7-20261125T130501Z") {
		t.Errorf("moved to %q", ns[0].MovedTo)
	}
	if len(s.Profiles()) != 0 {
		t.Errorf("profiles loaded from a newer file: %+v", s.Profiles())
	}
	// Saving now writes a fresh v1 file without touching the kept one.
	mustSave(t, s, validProfile("Now"))
	kept2, _ := os.ReadFile(ns[0].MovedTo)
	if string(kept2) != future {
		t.Errorf("kept file changed")
	}
}

// A hand-made version-0 profiles.json: no schema_version, flat endpoint
// fields, the scope as one space-separated string, a redirect URI, extra
// parameters as an object.
const profilesV0 = `{
  "profiles": [
    {
      "id": "acme-staging",
      "name": "Acme staging",
      "issuer": "https://acme.example.com/",
      "client_id": "desk-app",
      "auth_method": "none",
      "scope": "openid  profile offline_access",
      "redirect_uri": "http://127.0.0.1:8765/cb",
      "extra_params": {"prompt": "login", "audience": "https://api.acme.example"},
      "timeout": 120,
      "keep_signed_in": true
    },
    {
      "id": "gh",
      "name": "GitHub",
      "authorization_endpoint": "https://github.com/login/oauth/authorize",
      "token_endpoint": "https://github.com/login/oauth/access_token",
      "client_id": "Iv1.abc",
      "auth_method": "client_secret_post",
      "has_secret": true,
      "scope": "read:user"
    }
  ]
}`

func TestMigrateProfilesV0ToCurrent(t *testing.T) {
	dir := storeDir(t)
	writeFile(t, join(dir, ProfilesFile), profilesV0, 0o600)

	s := openTest(t, dir)
	ns := s.Notices()
	if len(ns) != 1 || ns[0].Code != NoticeMigrated {
		t.Fatalf("notices = %+v, want one migrated", ns)
	}
	if b, err := os.ReadFile(ns[0].MovedTo); err != nil || string(b) != profilesV0 {
		t.Errorf("v0 backup %q = %v, want the original file", ns[0].MovedTo, err)
	}
	ps := s.Profiles()
	if len(ps) != 2 {
		t.Fatalf("got %d profiles", len(ps))
	}
	acme, gh := ps[0], ps[1]
	want := Profile{
		ID: "acme-staging", Name: "Acme staging", Issuer: "https://acme.example.com/",
		ClientID: "desk-app", AuthMethod: AuthNone,
		Scopes:       []string{"openid", "profile", "offline_access"},
		Params:       []Param{{"audience", "https://api.acme.example"}, {"prompt", "login"}},
		RedirectHost: "127.0.0.1", RedirectPort: 8765, RedirectPath: "/cb",
		TimeoutSeconds: 120, KeepSignedIn: true,
	}
	if !reflect.DeepEqual(acme, want) {
		t.Errorf("migrated acme =\n%+v\nwant\n%+v", acme, want)
	}
	if gh.Endpoints.Authorization != "https://github.com/login/oauth/authorize" ||
		gh.Endpoints.Token != "https://github.com/login/oauth/access_token" ||
		!gh.HasClientSecret || gh.AuthMethod != AuthClientSecretPost ||
		!reflect.DeepEqual(gh.Scopes, []string{"read:user"}) ||
		gh.RedirectHost != "127.0.0.1" || gh.RedirectPath != "/callback" || gh.TimeoutSeconds != 300 {
		t.Errorf("migrated github = %+v", gh)
	}
	for _, p := range ps {
		if errs := p.Validate(); errs != nil {
			t.Errorf("migrated %q does not validate: %v", p.Name, errs)
		}
	}

	// Written back as the current version: a second Open reads it without
	// migrating again.
	b, _ := os.ReadFile(join(dir, ProfilesFile))
	if !strings.Contains(string(b), `"schema_version": 2`) {
		t.Errorf("profiles.json not rewritten as v2:\n%s", b)
	}
	s2 := openTest(t, dir)
	if n := s2.Notices(); len(n) != 0 {
		t.Errorf("second open notices = %+v", n)
	}
	if !reflect.DeepEqual(s2.Profiles(), ps) {
		t.Errorf("round trip changed profiles")
	}
}

func TestHandEditedDuplicateIDsAreRepaired(t *testing.T) {
	dir := storeDir(t)
	writeFile(t, join(dir, ProfilesFile), `{"schema_version":1,"profiles":[
	  {"id":"same","name":"A","issuer":"https://a.example","client_id":"x"},
	  {"id":"same","name":"B","issuer":"https://b.example","client_id":"x"},
	  {"id":"has/slash","name":"C","issuer":"https://c.example","client_id":"x","built_in":true},
	  {"id":"demo","name":"Demo provider","preset":"demo","issuer":"http://127.0.0.1/","client_id":"x","built_in":true},
	  {"id":"demo","name":"Second demo","preset":"demo","issuer":"http://127.0.0.1/","client_id":"x","built_in":true}]}`, 0o600)
	s := openTest(t, dir)
	ps := s.Profiles()
	seen := map[string]bool{}
	for _, p := range ps {
		if !validID(p.ID) || seen[p.ID] {
			t.Errorf("bad or duplicate id %q", p.ID)
		}
		seen[p.ID] = true
		if p.BuiltIn != (p.Name == "Demo provider") {
			t.Errorf("%q built_in = %v", p.Name, p.BuiltIn)
		}
	}
	if len(ps) != 5 {
		t.Errorf("profiles = %d, want 5", len(ps))
	}
}
