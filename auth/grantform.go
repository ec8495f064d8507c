package auth

import (
	"net/url"
	"strings"
)

// grantForm adds the profile's scopes and extra parameters (audience,
// resource, ...) to the form of a back-channel grant request — the device
// authorization request (RFC 8628 §3.1), a client-credentials request
// (RFC 6749 §4.4.2) — and returns the trace fields with them, the client
// secret among them masked.
func (c *client) grantForm(form url.Values, fields []Field) []Field {
	if len(c.cfg.Scopes) > 0 {
		form.Set("scope", strings.Join(c.cfg.Scopes, " "))
		fields = append(fields, field("scope", form.Get("scope")))
	}
	for _, p := range c.cfg.Params {
		form.Add(strings.TrimSpace(p.Key), p.Value)
		fields = append(fields, field(strings.TrimSpace(p.Key), p.Value))
	}
	if !c.cfg.ClientSecret.IsZero() {
		fields = append(fields, secretField("client_secret", c.cfg.ClientSecret))
	}
	return fields
}
