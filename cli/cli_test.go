package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestOpensWindow(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		windowFlags []string
		want        bool
	}{
		{"no arguments", nil, nil, true},
		{"empty argument list", []string{}, WailsDevFlags, true},
		{"macOS process serial number", []string{"-psn_0_1234567"}, nil, true},

		// Commands, help and version are headless.
		{"login", []string{"login", "--issuer", "x"}, nil, false},
		{"demo-provider", []string{"demo-provider"}, nil, false},
		{"help", []string{"help"}, nil, false},
		{"--help", []string{"--help"}, nil, false},
		{"-h", []string{"-h"}, nil, false},
		{"version", []string{"version"}, nil, false},
		{"--version", []string{"--version"}, nil, false},

		// Anything else is an error for Run to report, not a window.
		{"misspelt command", []string{"lgoin", "--issuer", "x"}, nil, false},
		{"unknown command with --help", []string{"run", "--help"}, nil, false},
		{"unknown flag", []string{"--bogus"}, nil, false},
		{"a lone dash", []string{"-"}, nil, false},
		{"flag terminator", []string{"--"}, nil, false},
		{"empty argument", []string{""}, nil, false},
		{"psn prefix only", []string{"-psn"}, nil, false},
		{"psn then a command", []string{"-psn_0_1", "login"}, nil, false},

		// Production builds take no window flags: Wails' dev flags are
		// unknown there.
		{"dev flag in a production build", []string{"-assetdir", "frontend/dist"}, nil, false},

		// Dev builds: Wails parses these with the flag package, so every
		// spelling flag accepts opens the window.
		{"dev: e2e invocation", []string{"-assetdir", "frontend/dist"}, WailsDevFlags, true},
		{"dev: double dash", []string{"--assetdir", "frontend/dist"}, WailsDevFlags, true},
		{"dev: name=value", []string{"-assetdir=frontend/dist"}, WailsDevFlags, true},
		{"dev: empty value", []string{"--loglevel="}, WailsDevFlags, true},
		{"dev: every flag", []string{"-assetdir", "d", "-devserver", "127.0.0.1:34115",
			"-frontenddevserverurl", "http://127.0.0.1:5173", "-loglevel", "Debug"}, WailsDevFlags, true},
		{"dev: value that looks like a command", []string{"-assetdir", "login"}, WailsDevFlags, true},
		{"dev: value that looks like a flag", []string{"-loglevel", "-x"}, WailsDevFlags, true},
		{"dev: with a psn", []string{"-psn_0_1", "-loglevel", "Info"}, WailsDevFlags, true},
		{"dev: flag missing its value", []string{"-assetdir"}, WailsDevFlags, false},
		{"dev: command after the flags", []string{"-assetdir", "d", "login"}, WailsDevFlags, false},
		{"dev: command", []string{"login"}, WailsDevFlags, false},
		{"dev: unknown flag", []string{"-assetdirs", "d"}, WailsDevFlags, false},
		{"dev: three dashes", []string{"---assetdir", "d"}, WailsDevFlags, false},
		{"dev: flag name is case sensitive", []string{"-AssetDir", "d"}, WailsDevFlags, false},
		{"dev: bindings flag", []string{"-tsprefix", "X"}, WailsDevFlags, false},
		{"bindings: its flags", []string{"-tsprefix", "X", "-tsoutputtype=classes"}, WailsBindingsFlags, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OpensWindow(tt.args, tt.windowFlags); got != tt.want {
				t.Errorf("OpensWindow(%q, %q) = %v, want %v", tt.args, tt.windowFlags, got, tt.want)
			}
		})
	}
}

func TestRunUnknown(t *testing.T) {
	tests := []struct {
		args      []string
		wantFirst string // the first line of stderr
	}{
		{[]string{"lgoin", "--issuer", "x"}, `pkce-desk: unknown command "lgoin"; did you mean "login"?`},
		{[]string{"run", "--help"}, `pkce-desk: unknown command "run"`},
		{[]string{"demo"}, `pkce-desk: unknown command "demo"; did you mean "demo-provider"?`},
		{[]string{"LOGIN"}, `pkce-desk: unknown command "LOGIN"; did you mean "login"?`},
		{[]string{"verison"}, `pkce-desk: unknown command "verison"; did you mean "version"?`},
		{[]string{"--verison"}, `pkce-desk: unknown flag "--verison"; did you mean "--version"?`},
		{[]string{"--bogus"}, `pkce-desk: unknown flag "--bogus"`},
		{[]string{"-assetdir", "frontend/dist"}, `pkce-desk: unknown flag "-assetdir"`},
		{[]string{""}, `pkce-desk: unknown command ""`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(tt.args, strings.NewReader(""), &out, &errb, "test")
			if code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing: the error and usage go to stderr", out.String())
			}
			first, rest, _ := strings.Cut(errb.String(), "\n")
			if first != tt.wantFirst {
				t.Errorf("first line of stderr = %q, want %q", first, tt.wantFirst)
			}
			if !strings.Contains(rest, "Usage:") {
				t.Errorf("stderr has no usage after the error:\n%s", errb.String())
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"login", "demo-provider", "help", "version"}
	tests := []struct {
		typed, want string
	}{
		{"lgoin", "login"},  // transposition
		{"logn", "login"},   // deletion
		{"loggin", "login"}, // insertion
		{"lpgin", "login"},  // substitution
		{"Login", "login"},  // case
		{"demo", "demo-provider"},
		{"demo-provder", "demo-provider"},
		{"hlep", "help"},
		{"vers", "version"},
		{"run", ""},
		{"x", ""},
		{"lo", ""},  // too short to guess
		{"lgn", ""}, // two edits in three letters is a guess, not a typo
		{"hel", "help"},
		{"", ""},
		{"logout", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.typed, names); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}
