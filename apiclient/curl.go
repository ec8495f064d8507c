package apiclient

import (
	"net/http"
	"strings"
)

// CurlTokenVar is the shell variable a masked curl export uses for the token.
const CurlTokenVar = "ACCESS_TOKEN"

// Curl renders spec as a copy-pasteable curl command for a POSIX shell, sending
// what Do would send: the same URL with Params merged, headers, implied
// Content-Type, body, and --location (curl, like Do, drops Authorization on a
// redirect to another host).
//
// When spec.AttachToken is set, the Authorization header uses token if reveal
// is true; otherwise (or when token is empty) it reads "$ACCESS_TOKEN" and a
// comment line before the command says to set that variable first. The token
// replaces any Authorization header typed in the spec, as in Do.
//
// Every argument is single-quoted where needed, so quotes, newlines, $, ` and
// backslashes in values reach curl unchanged (NUL bytes, which no shell
// argument can hold, are dropped). Headers with an empty value are written
// "Name;" which is curl's syntax for sending them empty.
func Curl(spec Spec, token string, reveal bool) string {
	a := assemble(spec)
	var args []string
	add := func(s ...string) { args = append(args, s...) }

	add("curl", "--location")
	switch {
	case a.method == http.MethodHead && !a.hasBody:
		add("--head")
	case a.method == http.MethodGet && !a.hasBody, a.method == http.MethodPost && a.hasBody:
		// curl's default for the body / no body.
	default:
		add("-X", shellQuote(a.method))
	}
	if strings.ContainsAny(a.url, "[]{}") {
		add("--globoff") // curl would otherwise expand [..] and {..} in the URL
	}
	add(shellQuote(a.url))

	if a.host != "" {
		add("-H", shellQuote("Host: "+a.host))
	}
	for _, h := range a.headers {
		name := strings.TrimSpace(h.Key)
		if spec.AttachToken && strings.EqualFold(name, "Authorization") {
			continue
		}
		add("-H", shellQuote(curlHeader(name, h.Value)))
	}
	if a.contentType != "" {
		add("-H", shellQuote("Content-Type: "+a.contentType))
	}
	masked := false
	if spec.AttachToken {
		if reveal && token != "" {
			add("-H", shellQuote("Authorization: Bearer "+token))
		} else {
			// Double quotes so the shell expands the variable.
			add("-H", `"Authorization: Bearer $`+CurlTokenVar+`"`)
			masked = true
		}
	}
	if a.hasBody {
		// --data-raw: no @file or = interpretation of the body.
		add("--data-raw", shellQuote(a.body))
	}

	var b strings.Builder
	if masked {
		b.WriteString("# The access token is not included. Set it first: " + CurlTokenVar + "='<paste the access token>'\n")
	}
	for i, arg := range args {
		switch {
		case i == 0:
		case strings.HasPrefix(arg, "-") && i > 1 && (arg == "-H" || arg == "--data-raw"):
			b.WriteString(" \\\n  ")
		default:
			b.WriteByte(' ')
		}
		b.WriteString(arg)
	}
	b.WriteByte('\n')
	return b.String()
}

// curlHeader formats one -H argument. NUL bytes cannot reach curl's argv,
// so a value of only NULs is empty and uses curl's "Name;" form.
func curlHeader(name, value string) string {
	if strings.ReplaceAll(value, "\x00", "") == "" {
		return name + ";"
	}
	return name + ": " + value
}

// shellQuote returns s as one POSIX shell word that evaluates to exactly s
// (without NUL bytes). Words made only of safe characters stay bare;
// everything else is single-quoted, and a single quote inside becomes
// close-quote, backslash, quote, reopen-quote.
func shellQuote(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
