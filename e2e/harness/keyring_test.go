package harness

import (
	"os/exec"
	"slices"
	"testing"
)

func TestParseSecretToolSearch(t *testing.T) {
	// secret-tool search --all's standard output for two items (libsecret
	// 0.20); the attribute lines go to standard error.
	out := "[/1]\nlabel = Password for 'p1/refresh_token' on 'pkce-desk'\nsecret = a = b\n" +
		"created = 2026-11-25 13:51:15\nmodified = 2026-11-25 13:51:15\nschema = org.freedesktop.Secret.Generic\n" +
		"[/2]\nlabel = other\nsecret = s2\n"
	got := parseSecretToolSearch(out)
	want := []KeyringItem{
		{Path: "/1", Label: "Password for 'p1/refresh_token' on 'pkce-desk'", Secret: "a = b"},
		{Path: "/2", Label: "other", Secret: "s2"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("parsed %q, want %q", got, want)
	}
	if got := parseSecretToolSearch(""); len(got) != 0 {
		t.Errorf("no output parsed to %d items", len(got))
	}
}

func TestShellQuoteSurvivesTheShell(t *testing.T) {
	for _, s := range []string{"unix:path=/tmp/a b/bus,guid=1", "it's", `$HOME "x" \n`, ""} {
		out, err := exec.Command("sh", "-c", "printf %s "+shellQuote(s)).Output()
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != s {
			t.Errorf("sh read %q back as %q", s, out)
		}
	}
}
