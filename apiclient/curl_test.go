package apiclient

import (
	"bytes"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// runAsShell runs a curl command through /bin/sh with "curl" replaced by a
// function printing each argument NUL-terminated, and returns the arguments
// as the shell parsed them.
func runAsShell(t testing.TB, command string, env ...string) []string {
	t.Helper()
	script := "curl() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }\n" + command
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=/nonexistent"}, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh: %v: %s\n%s", err, stderr.String(), command)
	}
	args := strings.Split(string(out), "\x00")
	return args[:len(args)-1]
}

func requireShell(t testing.TB) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
}

const nasty = "it's \"quoted\" $HOME `id` $(id) \\ back\\slash\nnew line\t* ? [a] ~ ; & | < > !"

func TestCurlRoundTripThroughShell(t *testing.T) {
	requireShell(t)
	spec := Spec{
		Method: "put",
		URL:    "https://api.example.com/v1/items/{id}?x=1#frag",
		Params: []KV{{Key: "q", Value: nasty, Enabled: true}, {Key: "off", Value: "x"}},
		Headers: []KV{
			{Key: "X-Nasty", Value: nasty, Enabled: true},
			{Key: "X-Empty", Value: "", Enabled: true},
			{Key: "Authorization", Value: "Basic typed", Enabled: true},
			{Key: "X-Off", Value: "off"},
		},
		BodyType:    BodyJSON,
		Body:        `{"s": "` + strings.ReplaceAll(strings.ReplaceAll(nasty, "\\", "\\\\"), "\"", "\\\"") + `"}`,
		AttachToken: true,
	}
	a := assemble(spec)
	want := []string{
		"--location", "-X", "PUT", "--globoff", a.url,
		"-H", "X-Nasty: " + nasty,
		"-H", "X-Empty;",
		"-H", "Content-Type: application/json",
		"-H", "Authorization: Bearer tok'en$1",
		"--data-raw", spec.Body,
	}

	revealed := Curl(spec, "tok'en$1", true)
	if got := runAsShell(t, revealed); !slices.Equal(got, want) {
		t.Errorf("revealed round trip:\n got %q\nwant %q\ncommand:\n%s", got, want, revealed)
	}
	if strings.HasPrefix(revealed, "#") || strings.Contains(revealed, "ACCESS_TOKEN") {
		t.Errorf("revealed command has the masking note:\n%s", revealed)
	}

	masked := Curl(spec, "tok'en$1", false)
	if strings.Contains(masked, "tok'en") || strings.Contains(masked, `tok'\''en`) {
		t.Fatalf("masked command contains the token:\n%s", masked)
	}
	if !strings.HasPrefix(masked, "# ") || !strings.Contains(masked, "$ACCESS_TOKEN") {
		t.Errorf("masked command lacks note or variable:\n%s", masked)
	}
	want[slices.Index(want, "Authorization: Bearer tok'en$1")] = "Authorization: Bearer from-env"
	if got := runAsShell(t, masked, "ACCESS_TOKEN=from-env"); !slices.Equal(got, want) {
		t.Errorf("masked round trip:\n got %q\nwant %q", got, want)
	}
}

func TestCurlMethods(t *testing.T) {
	requireShell(t)
	for _, tc := range []struct {
		spec Spec
		want []string
	}{
		{Spec{URL: "https://h/a"}, []string{"--location", "https://h/a"}},
		{Spec{Method: "HEAD", URL: "https://h/a"}, []string{"--location", "--head", "https://h/a"}},
		{Spec{Method: "POST", URL: "https://h/a"}, []string{"--location", "-X", "POST", "https://h/a"}},
		{Spec{Method: "POST", URL: "https://h/a", BodyType: BodyForm, Form: []KV{{Key: "grant_type", Value: "x y", Enabled: true}}},
			[]string{"--location", "https://h/a", "-H", "Content-Type: application/x-www-form-urlencoded", "--data-raw", "grant_type=x+y"}},
		{Spec{Method: "GET", URL: "https://h/a", BodyType: BodyText, Body: "b"},
			[]string{"--location", "-X", "GET", "https://h/a", "-H", "Content-Type: text/plain; charset=utf-8", "--data-raw", "b"}},
		{Spec{Method: "DELETE", URL: "https://h/a", Headers: []KV{{Key: "Host", Value: "v.example", Enabled: true}}},
			[]string{"--location", "-X", "DELETE", "https://h/a", "-H", "Host: v.example"}},
		// AttachToken with an empty token stays masked even with reveal.
		{Spec{URL: "https://h/a", AttachToken: true}, []string{"--location", "https://h/a", "-H", "Authorization: Bearer "}},
	} {
		got := runAsShell(t, Curl(tc.spec, "", true))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%+v:\n got %q\nwant %q", tc.spec, got, tc.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"abc":         "abc",
		"https://h/p": "https://h/p",
		"":            "''",
		"a b":         "'a b'",
		"it's":        `'it'\''s'`,
		"$x":          "'$x'",
		"~":           "'~'",
		"a\x00b":      "ab",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzShellQuote checks that any string survives quoting and a real shell.
func FuzzShellQuote(f *testing.F) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		f.Skip("no /bin/sh")
	}
	for _, s := range []string{"", "a", nasty, "'", "''", `'\''`, "\n", "-n", "é\xff", "$((1+1))", "${IFS}", "\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ReplaceAll(s, "\x00", "") // no shell word can hold NUL
		got := runAsShell(t, "curl "+shellQuote(s))
		if len(got) != 1 || got[0] != s {
			t.Fatalf("shellQuote(%q) came back as %q", s, got)
		}
	})
}

// FuzzCurl checks that header values, body, query values and the token in a
// Curl export reach curl's argv unchanged through a real shell.
func FuzzCurl(f *testing.F) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		f.Skip("no /bin/sh")
	}
	f.Add("v", `{"a":1}`, "q v", "tok")
	f.Add(nasty, nasty, nasty, "t'o$k`")
	f.Add("", "", "", "")
	f.Add("'\"'\"'", "\n\n", "&=#?", "a\nb")
	f.Fuzz(func(t *testing.T, hdr, body, query, token string) {
		strip := func(s string) string { return strings.ReplaceAll(s, "\x00", "") }
		spec := Spec{
			Method: "PATCH", URL: "https://h.example/p",
			Params:   []KV{{Key: "q", Value: query, Enabled: true}},
			Headers:  []KV{{Key: "X-F", Value: hdr, Enabled: true}},
			BodyType: BodyText, Body: body, AttachToken: true,
		}
		got := runAsShell(t, Curl(spec, token, true))
		wantHdr := "X-F: " + strip(hdr)
		if strip(hdr) == "" {
			wantHdr = "X-F;"
		}
		wantAuth := "Authorization: Bearer " + strip(token)
		if token == "" {
			wantAuth = "Authorization: Bearer " // $ACCESS_TOKEN, unset
		}
		want := []string{"--location", "-X", "PATCH", "https://h.example/p?q=" + url.QueryEscape(query),
			"-H", wantHdr, "-H", "Content-Type: text/plain; charset=utf-8", "-H", wantAuth, "--data-raw", strip(body)}
		if !slices.Equal(got, want) {
			t.Fatalf("argv\n got %q\nwant %q", got, want)
		}
	})
}
