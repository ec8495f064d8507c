package demo

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// The demo protected API, under APIBase():
//
//	GET  /api/me      any valid access token → the user's claims (or the
//	                  service account's: sub pkce-desk-service, no roles)
//	GET  /api/orders  scope orders:read      → the order list
//	POST /api/orders  role admin             → 201 and the created order
//
// A token is accepted when its audience includes the API (APIBase()) or one
// of the demo's clients: sign-ins, the device grant and client credentials
// give that by default; token exchange gives the audience asked for.
//
// Failures follow RFC 6750 §3: 401 with WWW-Authenticate error="invalid_token"
// for a bad, expired or revoked token (a missing token gets the bare
// challenge, as §3.1 says); 403 with error="insufficient_scope" for a missing
// scope or role. Bodies are JSON {"error", "error_description"}.
func (s *Server) apiHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(apiPrefix+"/me", s.apiMe)
	mux.HandleFunc(apiPrefix+"/orders", s.apiOrders)
	mux.HandleFunc(apiPrefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusNotFound, "not_found", "no such demo API endpoint; try GET "+apiPrefix+"/me")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
	})
}

// meResponse is GET /api/me's body.
type meResponse struct {
	Subject           string   `json:"sub"`
	PreferredUsername string   `json:"preferred_username"`
	Name              string   `json:"name"`
	Email             string   `json:"email"`
	Roles             []string `json:"roles"`
	Scope             string   `json:"scope"`
	ClientID          string   `json:"client_id"`
	ExpiresAt         int64    `json:"exp"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	p, berr := s.authenticate(r)
	if berr != nil {
		writeBearerError(w, berr)
		return
	}
	if p.service {
		writeJSON(w, http.StatusOK, meResponse{
			Subject:   p.token.subject,
			Name:      "PKCE Desk demo service account",
			Roles:     []string{},
			Scope:     strings.Join(p.token.scopes, " "),
			ClientID:  p.token.clientID,
			ExpiresAt: p.token.expiresAt.Unix(),
		})
		return
	}
	writeJSON(w, http.StatusOK, meResponse{
		Subject:           p.user.ID,
		PreferredUsername: p.user.Username,
		Name:              p.user.Name,
		Email:             p.user.Email,
		Roles:             p.user.Roles,
		Scope:             strings.Join(p.token.scopes, " "),
		ClientID:          p.token.clientID,
		ExpiresAt:         p.token.expiresAt.Unix(),
	})
}

// newOrder is POST /api/orders' body.
type newOrder struct {
	Item     string `json:"item"`
	Quantity int    `json:"quantity"`
}

func (s *Server) apiOrders(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
		return
	}
	p, berr := s.authenticate(r)
	if berr != nil {
		writeBearerError(w, berr)
		return
	}
	if r.Method != http.MethodPost {
		if !p.hasScope(ScopeOrdersRead) {
			writeBearerError(w, &bearerError{status: http.StatusForbidden, code: "insufficient_scope",
				description: "listing orders needs the scope orders:read; sign in again asking for it",
				scope:       ScopeOrdersRead})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"orders": s.orders.list()})
		return
	}
	if p.service {
		writeBearerError(w, &bearerError{status: http.StatusForbidden, code: "insufficient_scope",
			description: "creating orders needs a person with the admin role; a service account token cannot; sign in as alice"})
		return
	}
	if !p.user.HasRole("admin") {
		writeBearerError(w, &bearerError{status: http.StatusForbidden, code: "insufficient_scope",
			description: "creating orders needs the admin role; sign in as alice"})
		return
	}
	in, err := decodeNewOrder(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	o, err := s.orders.add(in.Item, in.Quantity, p.user.Username, s.now())
	if err != nil {
		writeJSONError(w, http.StatusServiceUnavailable, "order_book_full", err.Error())
		return
	}
	w.Header().Set("Location", apiPrefix+"/orders/"+o.ID)
	writeJSON(w, http.StatusCreated, o)
}

// decodeNewOrder reads and checks the JSON body (size already capped).
func decodeNewOrder(r *http.Request) (newOrder, error) {
	var in newOrder
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return in, errors.New(`send the order as JSON with Content-Type: application/json, e.g. {"item":"Tea","quantity":2}`)
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, errors.New(`the body is not a valid order: expected {"item": string, "quantity": number}`)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return in, errors.New("the body has data after the JSON object")
	}
	in.Item = strings.TrimSpace(in.Item)
	if in.Item == "" || utf8.RuneCountInString(in.Item) > 200 {
		return in, errors.New("item must be 1 to 200 characters")
	}
	if in.Quantity < 1 || in.Quantity > 1000 {
		return in, errors.New("quantity must be between 1 and 1000")
	}
	return in, nil
}

// allowMethods answers 405 with Allow unless r uses one of methods.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeJSONError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use "+strings.Join(methods, " or "))
	return false
}

// writeBearerError sends the RFC 6750 §3 challenge and a JSON body.
func writeBearerError(w http.ResponseWriter, e *bearerError) {
	w.Header().Set("WWW-Authenticate", e.challenge())
	code := e.code
	if code == "" {
		code = "invalid_token"
	}
	writeJSONError(w, e.status, code, e.description)
}

func writeJSONError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, `{"error":"server_error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
