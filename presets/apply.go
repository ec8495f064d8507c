package presets

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"pkcedesk/store"
)

// ApplyError lists what is missing or malformed in the values given to Apply,
// one store.FieldError per field, keyed by the need's name.
type ApplyError struct {
	Fields []store.FieldError
}

// Error lists the problems in one line.
func (e *ApplyError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return "fill in the preset: " + strings.Join(parts, "; ")
}

// hostRE matches a DNS name or IP literal with an optional port: what may be
// put into the authority of a URL template without changing its meaning.
var hostRE = regexp.MustCompile(`^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]{1,5})?$`)

// tenantRE matches an Entra tenant: a name, GUID or domain.
var tenantRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*$`)

// Apply turns the preset into a profile: Defaults fill missing values, every
// Need must then be present, placeholders ({tenant}, {domain}, {host},
// {realm}) in the issuer, endpoints and API base are replaced, client_id and issuer
// are set, and an audience (Auth0) becomes the audience parameter — or that
// parameter is dropped when none is given.
//
// Values that go into a URL are checked so they cannot change the URL's
// structure: hosts and domains must be host names (with an optional port),
// tenants names, realms are path-escaped. A client_secret value only sets
// HasClientSecret, and only when the template's auth method sends a secret:
// the caller must store the value itself with store.Secrets.
//
// The result has no ID; pass it to store.SaveProfile, which validates it.
func (p Preset) Apply(values map[string]string) (store.Profile, error) {
	v := map[string]string{}
	for k, val := range p.Defaults {
		v[k] = val
	}
	for k, val := range values {
		if val = strings.TrimSpace(val); val != "" {
			v[k] = val
		}
	}

	var errs []store.FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, store.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for _, need := range p.Needs {
		if v[need] == "" {
			bad(need, "Fill in: %s.", NeedLabel(need))
		}
	}
	for _, k := range []string{NeedHost, NeedDomain} {
		if s := v[k]; s != "" && !hostRE.MatchString(s) {
			bad(k, "%q is not a host name; enter just the name, like login.example.com, without https:// or a path.", s)
		}
	}
	if s := v[NeedTenant]; s != "" && !tenantRE.MatchString(s) {
		bad(NeedTenant, "%q is not a tenant; use common, organizations, consumers, a tenant ID or a domain.", s)
	}
	if len(errs) > 0 {
		return store.Profile{}, &ApplyError{Fields: errs}
	}

	out := p.Profile.Clone()
	out.ID = ""
	out.BuiltIn = false
	out.Preset = p.ID
	fill := func(s string) string {
		if s == "" {
			return s
		}
		return strings.NewReplacer(
			"{tenant}", v[NeedTenant],
			"{domain}", v[NeedDomain],
			"{host}", v[NeedHost],
			"{realm}", url.PathEscape(v[NeedRealm]),
		).Replace(s)
	}
	if iss := v[NeedIssuer]; iss != "" && slices.Contains(p.Needs, NeedIssuer) {
		out.Issuer = iss
	}
	out.Issuer = fill(out.Issuer)
	out.APIBase = fill(out.APIBase)
	e := &out.Endpoints
	for _, f := range []*string{&e.Authorization, &e.Token, &e.UserInfo, &e.Revocation, &e.Introspection, &e.EndSession, &e.JWKS,
		&e.DeviceAuthorization, &out.HostedRedirectURI} {
		*f = fill(*f)
	}
	if id := v[NeedClientID]; id != "" {
		out.ClientID = id
	}
	if v[NeedClientSecret] != "" && out.AuthMethod.NeedsSecret() {
		out.HasClientSecret = true
	}
	params := out.Params[:0:0]
	for _, prm := range out.Params {
		if prm.Key == NeedAudience {
			if v[NeedAudience] == "" {
				continue
			}
			prm.Value = v[NeedAudience]
		}
		params = append(params, prm)
	}
	out.Params = params
	return out, nil
}

// placeholderRE matches a template placeholder such as {tenant}.
var placeholderRE = regexp.MustCompile(`\{[a-z_]+\}`)

// Placeholders returns the {placeholders} still present in the profile's
// issuer, endpoints and API base — none once Apply has run.
func Placeholders(p store.Profile) []string {
	var out []string
	e := p.Endpoints
	for _, s := range []string{p.Issuer, p.APIBase, e.Authorization, e.Token, e.UserInfo, e.Revocation, e.Introspection, e.EndSession, e.JWKS} {
		for _, m := range placeholderRE.FindAllString(s, -1) {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}
