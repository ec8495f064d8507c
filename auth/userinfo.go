package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// UserInfo calls the userinfo endpoint with the current access token
// (refreshing if needed) and returns its claims (OIDC Core §5.3). When the
// session has a verified ID token, the response's sub must equal it: a
// mismatch or a missing sub discards the response with a *CheckError
// (OIDC Core §5.3.2, security rule 21).
func (s *Session) UserInfo(ctx context.Context) (map[string]any, error) {
	ep := s.c.meta.UserInfoEndpoint
	if ep == "" {
		return nil, fmt.Errorf("userinfo: %w (no userinfo_endpoint)", ErrNotSupported)
	}
	t, err := s.ValidToken(ctx)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep, nil)
	if err != nil {
		return nil, fmt.Errorf("userinfo: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+t.AccessToken.Reveal())
	req.Header.Set("Accept", "application/json")
	s.tr.add(StepUserInfo, KindUserInfoRequest, "GET userinfo", field("endpoint", ep), secretField("access_token", t.AccessToken))
	resp, err := s.c.http.Do(req)
	if err != nil {
		s.tr.fail(StepUserInfo, KindUserInfoFailed, "userinfo request failed")
		return nil, fmt.Errorf("userinfo: could not reach %s: %w", ep, scrubURLError(err))
	}
	defer resp.Body.Close()
	body, err := readCapped(resp.Body, maxJSONBytes)
	if err != nil {
		return nil, fmt.Errorf("userinfo: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		err := newHTTPError("userinfo", resp.StatusCode, resp.Header, body, []string{t.AccessToken.Reveal()})
		s.tr.fail(StepUserInfo, KindUserInfoFailed, err.Error(), field("status", resp.StatusCode))
		return nil, err
	}
	if mt := mediaType(resp.Header); mt == "application/jwt" {
		return nil, fmt.Errorf("userinfo: %w: signed userinfo responses (application/jwt) are not supported", ErrNotSupported)
	}
	var claims map[string]any
	if err := json.Unmarshal(body, &claims); err != nil {
		return nil, fmt.Errorf("%w: userinfo response is not a JSON object: %v", ErrInvalidResponse, err)
	}
	if want := s.subject(); want != "" {
		got, _ := claims["sub"].(string)
		c := Check{Name: "userinfo subject", Passed: got == want, Why: "userinfo for another user must never be shown as yours (OIDC Core §5.3.2)"}
		if c.Passed {
			c.Detail = "sub matches the ID token"
		} else {
			c.Detail = fmt.Sprintf("userinfo sub %q differs from the ID token's sub %q; response discarded", cleanText(got, 100), want)
		}
		s.tr.check(StepUserInfo, c)
		if !c.Passed {
			return nil, &CheckError{Check: c.Name, Detail: c.Detail, Err: ErrInvalidResponse}
		}
	}
	s.tr.add(StepUserInfo, KindUserInfo, "userinfo received", field("claims", len(claims)))
	return claims, nil
}
