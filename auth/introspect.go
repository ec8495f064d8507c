package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

var timeZero time.Time

// Introspect asks the provider about one token (RFC 7662 §2.1) and returns
// the response members; "active" is always present as a bool (§2.2).
// Without an introspection endpoint it returns ErrNotSupported. Many
// providers require a confidential client here.
func (s *Session) Introspect(ctx context.Context, kind TokenKind) (map[string]any, error) {
	ep := s.c.meta.IntrospectionEndpoint
	if ep == "" {
		return nil, fmt.Errorf("introspect: %w (no introspection_endpoint)", ErrNotSupported)
	}
	tok, err := s.tokenOf(kind)
	if err != nil {
		return nil, err
	}
	form := url.Values{"token": {tok.Reveal()}, "token_type_hint": {string(kind)}}
	s.tr.add(StepIntrospect, KindIntrospectRequest, "introspecting the "+string(kind), field("endpoint", ep), secretField("token", tok))
	status, h, body, err := s.c.postForm(ctx, ep, form, maxJSONBytes)
	if err != nil {
		s.tr.fail(StepIntrospect, KindIntrospectFailed, "introspection request failed: "+err.Error())
		return nil, fmt.Errorf("introspect: %w", err)
	}
	if status != http.StatusOK {
		err := endpointError("introspection", status, h, body, s.c.secretsIn(form))
		s.tr.fail(StepIntrospect, KindIntrospectFailed, "introspection refused: "+err.Error(), field("status", status))
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("%w: introspection response is not a JSON object: %v", ErrInvalidResponse, err)
	}
	active, ok := out["active"].(bool)
	if !ok {
		return nil, fmt.Errorf("%w: introspection response has no boolean active member (RFC 7662 §2.2)", ErrInvalidResponse)
	}
	s.tr.add(StepIntrospect, KindIntrospected, "introspection answered", field("active", active))
	return out, nil
}
