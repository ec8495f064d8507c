package auth

import (
	"net/http"
	"net/url"
	"strings"
)

// fakeDevice scripts the fake OP's device grant, client credentials and
// token exchange.
type fakeDevice struct {
	// polls answers the device token polls in order: "authorization_pending",
	// "slow_down", "access_denied", "expired_token" or "ok"; past the end
	// the last entry repeats.
	polls     []string
	pollCount int
	interval  int // 0: omitted
	expiresIn int
	handler   http.HandlerFunc // replaces the device authorization endpoint
	lastForm  url.Values
	// ccRefresh adds a refresh_token (and ccIDToken an id_token) to client
	// credentials answers.
	ccRefresh, ccIDToken bool
	ccPosts              int
	exchangeError        string
	issuedType           string // "-" omits issued_token_type
}

const fakeDeviceCode = "DEVICE-CODE-SECRET-0123456789abcdef"

func (op *fakeOP) deviceAuthorization(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	h := op.dev.handler
	op.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	_ = r.ParseForm()
	op.mu.Lock()
	op.dev.lastForm = r.PostForm
	m := map[string]any{"device_code": fakeDeviceCode, "user_code": "WDJB-MJHT",
		"verification_uri": op.issuer() + "/activate", "verification_uri_complete": op.issuer() + "/activate?user_code=WDJB-MJHT",
		"expires_in": op.dev.expiresIn}
	if op.dev.expiresIn == 0 {
		m["expires_in"] = 600
	}
	if op.dev.interval > 0 {
		m["interval"] = op.dev.interval
	}
	op.mu.Unlock()
	writeJSON(w, 200, m)
}

// otherGrant serves the device, client-credentials and token-exchange grants.
func (op *fakeOP) otherGrant(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	switch f.Get("grant_type") {
	case DeviceGrantType:
		op.mu.Lock()
		ans := "ok"
		if n := len(op.dev.polls); n > 0 {
			ans = op.dev.polls[min(op.dev.pollCount, n-1)]
		}
		op.dev.pollCount++
		op.mu.Unlock()
		if f.Get("device_code") != fakeDeviceCode {
			writeJSON(w, 400, map[string]string{"error": "invalid_grant"})
			return
		}
		if ans != "ok" {
			writeJSON(w, 400, map[string]string{"error": ans})
			return
		}
		op.issue(w, "", f.Get("client_id"), "openid profile", true)
	case "client_credentials":
		op.mu.Lock()
		op.dev.ccPosts++
		op.dev.lastForm = f
		rt, idt := op.dev.ccRefresh, op.dev.ccIDToken
		op.mu.Unlock()
		at := randomToken()
		m := map[string]any{"access_token": at, "token_type": "bearer", "expires_in": op.accessTTL, "scope": f.Get("scope")}
		if rt {
			m["refresh_token"] = "CC-REFRESH-SHOULD-BE-IGNORED-123456"
		}
		if idt {
			m["id_token"] = op.idToken("", "svc", at)
		}
		writeJSON(w, 200, m)
	case string(GrantTokenExchange):
		op.mu.Lock()
		op.dev.lastForm = f
		e, it := op.dev.exchangeError, op.dev.issuedType
		_, known := op.access[f.Get("subject_token")]
		op.mu.Unlock()
		switch {
		case e != "":
			writeJSON(w, 400, map[string]string{"error": e, "error_description": "cannot exchange for " + strings.Join(f["audience"], ",")})
			return
		case !known && f.Get("subject_token_type") == TokenTypeAccessToken:
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "unknown subject token"})
			return
		}
		m := map[string]any{"access_token": "EXCHANGED-" + randomToken(), "token_type": "Bearer", "expires_in": 300,
			"issued_token_type": TokenTypeAccessToken}
		switch it {
		case "-":
			delete(m, "issued_token_type")
		case "":
		default:
			m["issued_token_type"] = it
			m["token_type"] = "N_A"
		}
		writeJSON(w, 200, m)
	default:
		writeJSON(w, 400, map[string]string{"error": "unsupported_grant_type"})
	}
}

// withDevice makes discovery list the device authorization endpoint.
func (op *fakeOP) withDevice() *fakeOP {
	op.metaEdit = func(m map[string]any) { m["device_authorization_endpoint"] = op.issuer() + "/device" }
	return op
}
