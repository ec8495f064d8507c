// Package cli holds the headless commands of the pkce-desk binary:
// `login` (a whole RFC 8252 sign-in from a terminal) and `demo-provider`
// (the built-in demo provider and API, standalone), and the rule that
// decides whether the binary opens its window at all ([OpensWindow]).
// Nothing here touches GTK or Wails, so the commands run on machines with
// no display.
package cli

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

// commands maps each headless command to its entry point.
var commands = map[string]func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int{
	"login": runLogin,
	"demo-provider": func(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
		return runDemoProvider(ctx, args, stdout, stderr)
	},
}

// WailsDevFlags are the flags a Wails v2 dev build (-tags dev) reads from
// its own arguments, named without dashes: Wails' internal/app/app_dev.go
// parses them with the flag package unless the assetdir environment
// variable is set (as `wails dev` does). The e2e suite starts the dev build
// as `pkce-desk-dev -assetdir frontend/dist`.
var WailsDevFlags = []string{"assetdir", "devserver", "frontenddevserverurl", "loglevel"}

// WailsBindingsFlags are the flags a Wails v2 bindings build (-tags
// bindings) reads from its own arguments (internal/app/app_bindings.go),
// named without dashes.
var WailsBindingsFlags = []string{"tsprefix", "tssuffix", "tsoutputtype"}

// OpensWindow reports whether the process arguments args (os.Args[1:]) ask
// for the app window. They do only when empty or made of what a launcher or
// the Wails runtime passes: macOS's -psn_… process serial number, and the
// flags named in windowFlags (without dashes), each with its value in any
// form the flag package accepts (-name value, -name=value, --name value,
// --name=value). Anything else — a command, help, the version, a typo, an
// unknown flag — is for [Run], which runs it or says what is wrong, so the
// window never opens for arguments nothing understands.
func OpensWindow(args, windowFlags []string) bool {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if isProcessSerialNumber(arg) {
			continue
		}
		name, hasValue, ok := parseFlag(arg)
		if !ok || !slices.Contains(windowFlags, name) {
			return false
		}
		if !hasValue {
			if i+1 == len(args) {
				return false // flag.Parse fails on a missing value: not a launch
			}
			i++
		}
	}
	return true
}

// isProcessSerialNumber reports whether arg is the -psn_<high>_<low>
// argument macOS Launch Services adds when it starts an app bundle.
func isProcessSerialNumber(arg string) bool {
	return len(arg) > len("-psn_") && strings.HasPrefix(arg, "-psn_")
}

// parseFlag splits arg the way the flag package reads a flag: one or two
// dashes, then a name that starts with neither a dash nor "=", then an
// optional "=value". ok is false when arg is no flag ("x", "-", "--",
// "---x", "-=x").
func parseFlag(arg string) (name string, hasValue, ok bool) {
	rest, found := strings.CutPrefix(arg, "-")
	if !found {
		return "", false, false
	}
	rest, _ = strings.CutPrefix(rest, "-")
	if rest == "" || rest[0] == '-' || rest[0] == '=' {
		return "", false, false
	}
	name, _, hasValue = strings.Cut(rest, "=")
	return name, hasValue, true
}

// Run runs the headless command named by args[0] and returns the process
// exit code. SIGINT and SIGTERM cancel the command's context.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer, version string) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "pkce-desk", version)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		unknown(stderr, args[0])
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return cmd(ctx, args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `PKCE Desk — sign in to OAuth 2.0 / OpenID Connect providers as a native app should.

Usage:
  pkce-desk                      open the app window
  pkce-desk login [flags]        sign in from a terminal: browser + loopback + PKCE,
                                 --grant device, or --grant client-credentials
  pkce-desk demo-provider [flags] run the built-in demo provider and demo API
  pkce-desk version              print the version

Run "pkce-desk login --help" or "pkce-desk demo-provider --help" for their flags.
`)
}

// unknown tells the user that arg names no command (or, when it starts with
// a dash, no flag), suggests the nearest name when arg looks like a typo of
// one, and prints the usage.
func unknown(w io.Writer, arg string) {
	kind, dashes, names := "command", "", []string{"help", "version"}
	if strings.HasPrefix(arg, "-") {
		kind, dashes = "flag", "--"
	} else {
		for name := range commands {
			names = append(names, name)
		}
		slices.Sort(names)
	}
	msg := fmt.Sprintf("pkce-desk: unknown %s %q", kind, arg)
	if s := suggest(strings.TrimLeft(arg, "-"), names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", dashes+s)
	}
	fmt.Fprintln(w, msg)
	fmt.Fprintln(w)
	usage(w)
}

// suggest returns the name in names that typed most likely stands for, or
// "" when no guess is safe. typed needs three letters or more; case does
// not count. Then it either is a name, or starts exactly one name ("demo"
// → "demo-provider"), or is nearer one name than any other and at most one
// edit from it (two when typed has five letters or more), where an edit
// inserts, deletes or replaces a letter or swaps two adjacent ones ("lgoin"
// → "login").
func suggest(typed string, names []string) string {
	typed = strings.ToLower(typed)
	if len(typed) < 3 {
		return ""
	}
	var prefixed []string
	for _, name := range names {
		if name == typed {
			return name
		}
		if strings.HasPrefix(name, typed) {
			prefixed = append(prefixed, name)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	maxEdits := 1
	if len([]rune(typed)) >= 5 {
		maxEdits = 2
	}
	best, bestEdits, tie := "", maxEdits+1, false
	for _, name := range names {
		switch d := editDistance(typed, name); {
		case d < bestEdits:
			best, bestEdits, tie = name, d, false
		case d == bestEdits:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// editDistance counts the fewest insertions, deletions, replacements and
// swaps of adjacent letters that turn a into b (the optimal string
// alignment distance: no letter is edited twice).
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// d[i][j] is the distance between s[:i] and t[:j].
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}
