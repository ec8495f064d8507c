package store_test

import (
	"fmt"
	"os"
	"path/filepath"

	"pkcedesk/store"
)

// How the app wires the store at start-up: secrets in the OS keychain when
// one answers (memory otherwise, with a notice), the files in their folder,
// the built-in demo profile on first launch.
func Example() {
	dir, _ := os.MkdirTemp("", "pkce-desk-example")
	defer os.RemoveAll(dir)

	// In the app: sec, secNotices := store.OpenSecrets(), and dir from store.DefaultDir().
	sec := store.NewMemorySecrets()
	s, err := store.Open(filepath.Join(dir, "pkce-desk"), store.WithSecrets(sec))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range s.Notices() {
		fmt.Println("tell the user:", n.Message)
	}
	demo, _ := s.EnsureDemoProfile(store.DemoIssuerPlaceholder)
	fmt.Println(demo.Name, demo.BuiltIn, s.Settings().SelectedProfileID)

	p, err := s.SaveProfile(store.Profile{
		Name:            "Acme staging",
		Issuer:          "https://login.acme.example",
		ClientID:        "desk-app",
		AuthMethod:      store.AuthClientSecretBasic,
		HasClientSecret: true,
		Scopes:          []string{"openid", "offline_access"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = s.Secrets().Set(p.ID, store.ClientSecret, "from the editor's secret field")
	fmt.Println(p.Name, p.RedirectURI(), p.TimeoutSeconds)

	_, err = s.SaveProfile(store.Profile{Name: "Broken", Issuer: "http://login.acme.example"})
	fmt.Println(err)
	// Output:
	// Demo provider true demo
	// Acme staging http://127.0.0.1/callback 300
	// the profile has problems: issuer: "http://login.acme.example" uses plain http; use https (http is allowed only for 127.0.0.1, ::1 and localhost).; client_id: Enter the client ID your provider gave you when you registered the app.
}
