package demo

import (
	"encoding/json"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// handleDiscovery serves the OpenID Provider Metadata (OIDC Discovery §3,
// RFC 8414 §2). It starts from op's document and corrects it to what this
// provider really does:
//
//   - authorization_response_iss_parameter_supported: true (RFC 9207 §3), which
//     op does not know about (iss.go adds the parameter);
//   - only the code flow and query response mode; the grants: code, refresh,
//     device (RFC 8628, with device_authorization_endpoint), client
//     credentials and token exchange (RFC 8693);
//   - client authentication: none (the public client) and client_secret_basic
//     or client_secret_post (the service client) at the token endpoint;
//   - PKCE methods: S256 only (op already lists only S256).
func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	doc, err := s.discoveryDocument(r)
	if err != nil {
		s.log.Error("demo discovery", "err", err)
		http.Error(w, "discovery document unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(doc)
}

// discoveryDocument renders the corrected metadata as JSON.
func (s *Server) discoveryDocument(r *http.Request) ([]byte, error) {
	cfg := op.CreateDiscoveryConfig(s.opContext(r.Context()), s.provider, s.storage)
	raw, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	m["authorization_response_iss_parameter_supported"] = true
	m["response_types_supported"] = []string{"code"}
	m["response_modes_supported"] = []string{"query"}
	m["grant_types_supported"] = []string{
		string(oidc.GrantTypeCode), string(oidc.GrantTypeRefreshToken), string(oidc.GrantTypeDeviceCode),
		string(oidc.GrantTypeClientCredentials), string(oidc.GrantTypeTokenExchange),
	}
	m["code_challenge_methods_supported"] = []string{"S256"}
	m["token_endpoint_auth_methods_supported"] = []string{"none", "client_secret_basic", "client_secret_post"}
	m["revocation_endpoint_auth_methods_supported"] = []string{"none", "client_secret_basic"}
	m["device_authorization_endpoint"] = s.issuer + deviceAuthPath
	// Introspection needs client authentication in op; the public demo client
	// authenticates with its id and an empty secret (see guardIntrospect).
	m["introspection_endpoint_auth_methods_supported"] = []string{"client_secret_basic", "none"}
	delete(m, "token_endpoint_auth_signing_alg_values_supported")
	delete(m, "revocation_endpoint_auth_signing_alg_values_supported")
	delete(m, "introspection_endpoint_auth_signing_alg_values_supported")
	return json.MarshalIndent(m, "", "  ")
}
