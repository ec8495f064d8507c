package desk

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"pkcedesk/view"
)

// claimMeanings explains registered JWT and OIDC claims in plain words
// (RFC 7519 §4.1, OIDC Core §2 and §5.1, RFC 9068).
var claimMeanings = map[string]string{
	"iss":                "issuer — who made this token",
	"sub":                "subject — the user's stable id at this issuer",
	"aud":                "audience — who this token is for",
	"exp":                "expires",
	"nbf":                "not valid before",
	"iat":                "issued",
	"jti":                "token id — unique per token",
	"azp":                "authorized party — the client the token was issued to",
	"nonce":              "nonce — ties the ID token to this sign-in",
	"at_hash":            "access-token hash — ties the access token to the ID token",
	"c_hash":             "code hash — ties the code to the ID token",
	"auth_time":          "signed in at",
	"acr":                "authentication context class",
	"amr":                "authentication methods used",
	"sid":                "session id at the provider",
	"scope":              "scopes granted",
	"scp":                "scopes granted",
	"client_id":          "client the token was issued to",
	"name":               "full name",
	"given_name":         "given name",
	"family_name":        "family name",
	"preferred_username": "username",
	"email":              "email address",
	"email_verified":     "whether the provider verified the email",
	"roles":              "roles granted to the user",
	"groups":             "groups the user belongs to",
	"tid":                "tenant id (Microsoft Entra)",
	"alg":                "signature algorithm",
	"kid":                "key id — which provider key signed it",
	"typ":                "token type",
}

// timeClaims are NumericDate claims (RFC 7519 §2): shown as local times,
// with the instant in view.Claim.Time.
var timeClaims = map[string]bool{"exp": true, "nbf": true, "iat": true, "auth_time": true, "updated_at": true}

// claimRows turns decoded JWT header or payload JSON into table rows,
// registered claims first in a fixed order, then the rest by name.
func claimRows(m map[string]any) []view.Claim {
	order := []string{"alg", "kid", "typ", "iss", "sub", "aud", "azp", "exp", "iat", "nbf", "auth_time", "nonce", "at_hash", "scope", "scp"}
	rank := make(map[string]int, len(order))
	for i, k := range order {
		rank[k] = i + 1
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		ri, rj := rank[names[i]], rank[names[j]]
		switch {
		case ri != 0 && rj != 0:
			return ri < rj
		case ri != 0:
			return true
		case rj != 0:
			return false
		}
		return names[i] < names[j]
	})
	rows := make([]view.Claim, 0, len(names))
	for _, k := range names {
		rows = append(rows, claimRow(k, m[k]))
	}
	return rows
}

// claimRow is one claim: its value as text, its raw JSON, its fixed
// meaning and, for a time claim, the instant (view.Claim.Time).
func claimRow(name string, v any) view.Claim {
	raw, _ := json.Marshal(v)
	c := view.Claim{Name: name, Raw: string(raw), Meaning: claimMeanings[name]}
	switch t := v.(type) {
	case string:
		c.Value = t
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := e.(string); ok {
				parts = append(parts, s)
			} else {
				b, _ := json.Marshal(e)
				parts = append(parts, string(b))
			}
		}
		c.Value = strings.Join(parts, ", ")
	default:
		c.Value = string(raw)
	}
	if f, ok := v.(float64); ok && timeClaims[name] {
		// The UI renders how far from now it is, live, from Time.
		ts := time.Unix(int64(f), 0)
		c.Time = ts.UTC().Format(time.RFC3339)
		c.Value = ts.Local().Format("2006-01-02 15:04:05 MST")
	}
	return c
}
