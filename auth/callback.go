package auth

import (
	"net/url"
)

// callbackParams are the authorization response parameters (RFC 6749
// §4.1.2, RFC 9207 §2).
type callbackParams struct {
	Code             Secret
	State            string
	Error            string
	ErrorDescription string
	ErrorURI         string
	Iss              string
	HasIss           bool
}

// maxCallbackQuery caps the query we parse; real responses are far smaller.
const maxCallbackQuery = 8 << 10

// parseCallback parses a callback query. Repeated parameters make the
// request invalid (RFC 6749 §3.1: "parameters MUST NOT be included more than
// once"), as does an over-long or malformed query; ok is false then.
func parseCallback(rawQuery string) (p callbackParams, ok bool) {
	if len(rawQuery) > maxCallbackQuery {
		return p, false
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return p, false
	}
	for _, k := range []string{"code", "state", "error", "error_description", "error_uri", "iss"} {
		if len(q[k]) > 1 {
			return p, false
		}
	}
	p.Code = NewSecret(q.Get("code"))
	p.State = q.Get("state")
	p.Error = q.Get("error")
	p.ErrorDescription = q.Get("error_description")
	p.ErrorURI = q.Get("error_uri")
	p.Iss = q.Get("iss")
	_, p.HasIss = q["iss"]
	return p, true
}
