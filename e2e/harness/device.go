package harness

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"

	"pkcedesk/internal/browserbot"
)

// The person at the second device: each provider's verification pages
// differ, so each provider the harness runs has its own VerifyDevice that
// opens the verification URI in a stand-in browser (a FormBrowser with a
// fresh cookie jar), signs in, and allows or denies the device. It returns
// the page the visit ended on and an error when that page does not say
// what was asked for happened, so a test failing later (at the token
// endpoint) is told apart from one whose browser never got through.

// DeviceVerifier completes (allow) or declines (deny) a device sign-in
// given the verification URI to open (verification_uri_complete, or
// verification_uri and the user code to type).
type DeviceVerifier func(ctx context.Context, uri, userCode string, allow bool) (*Page, error)

// newDenyingFormBrowser is a FormBrowser that presses Deny (or
// Cancel/Reject) where a page offers it.
func newDenyingFormBrowser(fields map[string]string) *FormBrowser {
	rec := &recorder{base: http.DefaultTransport}
	b := &FormBrowser{Fields: fields, rec: rec}
	b.bot = browserbot.New(browserbot.Options{
		Fields: fields,
		Deny:   true,
		Client: &http.Client{Transport: rec, Timeout: formBrowserTimeout},
	})
	return b
}

// withUserCode is fields plus user_code when the code is known (the
// verification page's input when the URI does not carry it).
func withUserCode(fields map[string]string, userCode string) map[string]string {
	out := map[string]string{}
	for k, v := range fields {
		out[k] = v
	}
	if userCode != "" {
		out["user_code"] = userCode
	}
	return out
}

// VerifyDevice is a person finishing a device sign-in at node-oidc-provider:
// the code confirmation form (its Continue and Abort buttons sit outside
// the form, so the stand-in submits it as Enter would: continue), then
// devInteractions' login and consent, ending on "Sign-in Success"; deny
// presses Abort instead (abortDevice).
func (n *NodeOIDC) VerifyDevice(ctx context.Context, uri, userCode string, allow bool) (*Page, error) {
	if !allow {
		return n.abortDevice(ctx, uri, userCode)
	}
	page, err := NewFormBrowser(withUserCode(n.LoginFields(), userCode)).Visit(ctx, uri)
	if err != nil {
		return page, err
	}
	text := page.Text()
	switch {
	case allow && strings.Contains(text, "Sign-in Success"):
		return page, nil
	}
	return page, fmt.Errorf("node-oidc-provider device verification (allow=%t) ended at %s (HTTP %d): %q; visited %s",
		allow, RedactURL(page.URL), page.Status, text, strings.Join(page.Trail, " → "))
}

// xsrfInput finds node-oidc-provider's hidden xsrf field in a device page.
var xsrfInput = regexp.MustCompile(`name="xsrf" value="([^"]+)"`)

// abortDevice is the person pressing [ Abort ] on node-oidc-provider's
// code page: GET the verification URI (the page with the code, in the
// same cookie session), then POST its form with abort=yes as that button
// does. The answer must say the sign-in was interrupted. (A FormBrowser
// cannot do this: the button sits outside the form, and after the abort
// the page shows the code form again.)
func (n *NodeOIDC) abortDevice(ctx context.Context, uri, userCode string) (*Page, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{Jar: jar, Timeout: formBrowserTimeout}
	get := func(method, u string, form url.Values) (*Page, error) {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequestWithContext(ctx, method, u, body)
		if err != nil {
			return nil, err
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := ReadCapped(resp.Body)
		if err != nil {
			return nil, err
		}
		return &Page{URL: resp.Request.URL, Status: resp.StatusCode, Body: b}, nil
	}
	page, err := get(http.MethodGet, uri, nil)
	if err != nil {
		return page, err
	}
	m := xsrfInput.FindSubmatch(page.Body)
	if m == nil {
		return page, fmt.Errorf("node-oidc-provider's device page %s has no xsrf field: %q", RedactURL(page.URL), page.Text())
	}
	if userCode == "" {
		if u, err := url.Parse(uri); err == nil {
			userCode = u.Query().Get("user_code")
		}
	}
	page, err = get(http.MethodPost, n.Issuer+"/device", url.Values{"xsrf": {string(m[1])}, "user_code": {userCode}, "abort": {"yes"}})
	if err != nil {
		return page, err
	}
	if !strings.Contains(page.Text(), "interrupted") {
		return page, fmt.Errorf("node-oidc-provider answered the abort with HTTP %d: %q", page.Status, page.Text())
	}
	return page, nil
}

// VerifyDevice is a person finishing a device sign-in at zitadel's example
// OP: /device?user_code=… shows its login form (username, password), then a
// confirmation page whose Allow and Deny are JavaScript buttons going to
// /device/confirm?action=allowed|denied — the stand-in follows the one a
// person would click, with the same cookies, and expects "Device
// authorization allowed" (or denied).
func (z *ZitadelOP) VerifyDevice(ctx context.Context, uri, userCode string, allow bool) (*Page, error) {
	b := NewFormBrowser(withUserCode(z.LoginFields(), userCode))
	page, err := b.Visit(ctx, uri)
	if err != nil {
		return page, err
	}
	if !strings.Contains(page.Text(), "You are about to grant device") {
		return page, fmt.Errorf("zitadel device verification: after the login form the browser is at %s (HTTP %d): %q, not the confirmation page; visited %s",
			RedactURL(page.URL), page.Status, page.Text(), strings.Join(page.Trail, " → "))
	}
	action, want := "allowed", "Device authorization allowed"
	if !allow {
		action, want = "denied", "Device authorization denied"
	}
	confirm, err := page.URL.Parse("./confirm?" + url.Values{"action": {action}}.Encode())
	if err != nil {
		return page, err
	}
	page, err = b.Visit(ctx, confirm.String())
	if err != nil {
		return page, err
	}
	if !strings.Contains(page.Text(), want) {
		return page, fmt.Errorf("zitadel device verification: %s answered %q (HTTP %d), want %q",
			RedactURL(page.URL), page.Text(), page.Status, want)
	}
	return page, nil
}

// VerifyDemoDevice is a person finishing a device sign-in at PKCE Desk's
// demo provider with the stand-in browser's defaults (the demo login picks
// alice, Allow pressed; Deny with allow false). The visit must end on a
// page without a form and with HTTP 200: the demo's "you can close this
// page" (allow) or its denied page.
func VerifyDemoDevice(ctx context.Context, uri, userCode string, allow bool) (*Page, error) {
	fields := withUserCode(nil, userCode)
	b := NewFormBrowser(fields)
	if !allow {
		b = newDenyingFormBrowser(fields)
	}
	page, err := b.Visit(ctx, uri)
	if err != nil {
		return page, err
	}
	if page.Stopped || page.Status != http.StatusOK {
		return page, fmt.Errorf("demo device verification (allow=%t) ended at %s (HTTP %d): %q",
			allow, RedactURL(page.URL), page.Status, page.Text())
	}
	return page, nil
}
