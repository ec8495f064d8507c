package store

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

// The parameters store refused before were 8; these 5 more are reserved by
// the engine too, and a profile holding one could be saved while every
// sign-in with it failed.
var newlyReserved = []string{"response_mode", "request", "request_uri", "code_verifier", "client_secret"}

func TestSaveRefusesEveryReservedParam(t *testing.T) {
	s := openTest(t, storeDir(t))
	for _, key := range newlyReserved {
		for _, spelled := range []string{key, strings.ToUpper(key), " " + key + " "} {
			p := validProfile("With " + key)
			p.Params = []Param{{"audience", "https://api"}, {spelled, "value"}}
			_, err := s.SaveProfile(p)
			var verr *ValidationError
			if !errors.As(err, &verr) || len(verr.Fields) != 1 || verr.Fields[0].Field != "params[1].key" ||
				!strings.Contains(verr.Fields[0].Message, strings.TrimSpace(spelled)) {
				t.Errorf("save with %q: %v", spelled, err)
			}
		}
	}
	if n := len(s.Profiles()); n != 0 {
		t.Errorf("%d profiles saved", n)
	}
}

// keychain returns a persistent Secrets backed by a fake keyring.
func keychain() *KeyringSecrets {
	return &KeyringSecrets{service: "svc", timeout: 30 * time.Second, backend: newFakeKeyring()}
}

const reservedParamsFile = `{"schema_version": 1, "profiles": [
  {"id": "p-new", "name": "Typed secret", "issuer": "https://login.example.com", "client_id": "desk",
   "auth_method": "client_secret_post", "has_client_secret": false, "scopes": ["openid"],
   "params": [{"key": "audience", "value": "https://api"}, {"key": "client_secret", "value": "sekrit-in-plain-text"},
              {"key": "Response_Mode", "value": "form_post"}, {"key": "code_verifier", "value": "fixed-verifier-value"}],
   "redirect_host": "127.0.0.1", "redirect_port": 0, "redirect_path": "/callback", "timeout_seconds": 300, "keep_signed_in": false},
  {"id": "p-kept", "name": "Already kept", "issuer": "https://login.example.com", "client_id": "desk",
   "auth_method": "client_secret_basic", "has_client_secret": true, "scopes": ["openid"],
   "params": [{"key": "client_secret", "value": "stale-copy-in-file"}],
   "redirect_host": "127.0.0.1", "redirect_port": 0, "redirect_path": "/callback", "timeout_seconds": 300, "keep_signed_in": false},
  {"id": "p-fine", "name": "Fine", "issuer": "https://login.example.com", "client_id": "desk", "auth_method": "none",
   "scopes": ["openid"], "params": [{"key": "prompt", "value": "login"}],
   "redirect_host": "127.0.0.1", "redirect_port": 0, "redirect_path": "/callback", "timeout_seconds": 300, "keep_signed_in": false}
]}`

func TestLoadMovesReservedParamsOutOfTheFile(t *testing.T) {
	dir := storeDir(t)
	writeFile(t, join(dir, ProfilesFile), reservedParamsFile, 0o600)
	sec := keychain()
	if err := sec.Set("p-kept", ClientSecret, "the-real-kept-secret"); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := openTest(t, dir, WithSecrets(sec), WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))

	raw, _ := os.ReadFile(join(dir, ProfilesFile))
	for _, gone := range []string{"sekrit-in-plain-text", "stale-copy-in-file", "fixed-verifier-value", "Response_Mode", "form_post"} {
		if strings.Contains(string(raw), gone) {
			t.Errorf("profiles.json still holds %q:\n%s", gone, raw)
		}
	}
	if !strings.Contains(string(raw), `"audience"`) || !strings.Contains(string(raw), `"prompt"`) {
		t.Errorf("the other parameters were lost:\n%s", raw)
	}
	if v, err := sec.Get("p-new", ClientSecret); err != nil || v != "sekrit-in-plain-text" {
		t.Errorf("keychain client secret of p-new = %q, %v", v, err)
	}
	if v, _ := sec.Get("p-kept", ClientSecret); v != "the-real-kept-secret" {
		t.Errorf("the kept secret was replaced by the file's copy: %q", v)
	}
	p, _ := s.Profile("p-new")
	if !p.HasClientSecret || len(p.Params) != 1 || p.Params[0].Key != "audience" {
		t.Errorf("p-new = %+v", p)
	}
	if errs := p.Validate(); errs != nil {
		t.Errorf("p-new does not validate after the repair: %v", errs)
	}

	ns := s.Notices()
	if len(ns) != 2 {
		t.Fatalf("notices = %+v, want one per repaired profile", ns)
	}
	for _, n := range ns {
		if n.Code != NoticeReservedParamsRemoved {
			t.Errorf("notice code %q", n.Code)
		}
	}
	if m := ns[0].Message; !strings.Contains(m, `"Typed secret"`) || !strings.Contains(m, "client_secret, Response_Mode, code_verifier") ||
		!strings.Contains(m, "client secret, kept in your system keychain") {
		t.Errorf("notice for p-new: %q", m)
	}
	if m := ns[1].Message; !strings.Contains(m, `"Already kept"`) || !strings.Contains(m, "already kept in your keychain") {
		t.Errorf("notice for p-kept: %q", m)
	}
	for _, secret := range []string{"sekrit-in-plain-text", "stale-copy-in-file", "fixed-verifier-value", "the-real-kept-secret"} {
		for _, n := range ns {
			if strings.Contains(n.Message, secret) {
				t.Errorf("notice holds a secret: %q", n.Message)
			}
		}
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs hold a secret:\n%s", logs.String())
		}
	}

	// Repaired once: the next start has nothing to say.
	if ns := openTest(t, dir, WithSecrets(sec)).Notices(); len(ns) != 0 {
		t.Errorf("second open notices = %+v", ns)
	}
}

func TestLoadWithoutKeychainSaysTheSecretIsInMemoryOnly(t *testing.T) {
	dir := storeDir(t)
	writeFile(t, join(dir, ProfilesFile), reservedParamsFile, 0o600)
	s := openTest(t, dir, WithSecrets(NewMemorySecrets()))
	if ns := s.Notices(); len(ns) == 0 || !strings.Contains(ns[0].Message, "memory only") {
		t.Errorf("notices = %+v", ns)
	}
	raw, _ := os.ReadFile(join(dir, ProfilesFile))
	if strings.Contains(string(raw), "sekrit-in-plain-text") {
		t.Error("the secret stayed in the file")
	}
}

func TestMigrateV0KeepsNoSecretInTheBackup(t *testing.T) {
	dir := storeDir(t)
	writeFile(t, join(dir, ProfilesFile), `{"profiles": [{"id": "old", "name": "Old", "issuer": "https://login.example.com",
	  "client_id": "desk", "auth_method": "client_secret_post", "scope": "openid",
	  "extra_params": {"audience": "https://api", "client_secret": "v0-plain-secret"}}]}`, 0o600)
	sec := keychain()
	s := openTest(t, dir, WithSecrets(sec))
	var backup string
	for _, n := range s.Notices() {
		if n.Code == NoticeMigrated {
			backup = n.MovedTo
		}
	}
	if backup == "" {
		t.Fatalf("no migration notice: %+v", s.Notices())
	}
	for _, path := range []string{backup, join(dir, ProfilesFile)} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "v0-plain-secret") {
			t.Errorf("%s holds the secret:\n%s", path, b)
		}
		if !strings.Contains(string(b), "audience") {
			t.Errorf("%s lost the other parameters:\n%s", path, b)
		}
	}
	if v, _ := sec.Get("old", ClientSecret); v != "v0-plain-secret" {
		t.Errorf("keychain = %q", v)
	}
}
