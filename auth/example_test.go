package auth_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"
	"pkcedesk/internal/browserbot"
)

// Example signs in to the embedded demo provider, with a stand-in browser
// in place of the system browser, then uses the session.
func Example() {
	ctx := context.Background()
	op, err := demo.Start(ctx, demo.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer op.Close()

	cfg := auth.Config{
		Issuer:   op.Issuer(),
		ClientID: op.ClientID(),
		Scopes:   []string{"openid", "profile", "offline_access"},
		Timeout:  time.Minute,
	}
	register, _ := auth.RedirectURIToRegister(cfg.Redirect)
	fmt.Println("register:", register)

	browser := browserbot.New(browserbot.Options{User: "alice"})
	session, err := auth.Login(ctx, cfg, auth.LoginOptions{
		Open:  browser.Opener(), // in the app: the system browser
		Trace: func(e auth.Event) { /* forward to the UI timeline */ },
	})
	if err != nil {
		fmt.Println("sign-in failed:", err)
		return
	}
	tokens := session.Token()
	fmt.Println("token type:", tokens.TokenType)
	fmt.Println("access token printed:", tokens.AccessToken) // redacted
	fmt.Println("has refresh token:", !tokens.RefreshToken.IsZero())

	for _, c := range session.Checks() {
		if c.Name == "nonce" {
			fmt.Println("nonce check passed:", c.Passed)
		}
	}
	if err := session.SignOut(ctx); err != nil {
		fmt.Println("sign-out:", err)
	}
	_, err = session.TokenSource().Token()
	fmt.Println("after sign-out:", errors.Is(err, auth.ErrSessionEnded))
	// Output:
	// register: http://127.0.0.1/callback
	// token type: Bearer
	// access token printed: [redacted]
	// has refresh token: true
	// nonce check passed: true
	// after sign-out: true
}

// ExampleSecret shows that secrets redact unless revealed explicitly.
func ExampleSecret() {
	s := auth.NewSecret("eyJhbGciOiJSUzI1NiJ9.payload.signature-Xk9w")
	fmt.Println(s)
	fmt.Printf("%#v\n", s)
	fmt.Println(s.Mask())
	fmt.Println(len(s.Reveal()))
	// Output:
	// [redacted]
	// auth.Secret([redacted])
	// eyJh…Xk9w
	// 43
}

// ExampleLogin_device signs in with the device authorization grant
// (RFC 8628): the user approves on another screen while Login polls. Not
// run: it needs a provider with a device endpoint.
func ExampleLogin_device() {
	ctx := context.Background()
	cfg := auth.Config{
		Issuer:   "https://op.example.com", // discovery finds device_authorization_endpoint
		ClientID: "my-public-client",
		Grant:    auth.GrantDevice,
		Scopes:   []string{"openid", "profile"},
	}
	session, err := auth.Login(ctx, cfg, auth.LoginOptions{
		OnDeviceCode: func(dc auth.DeviceCode) {
			// In the app: the code large, a QR code of VerificationURIComplete, a countdown.
			fmt.Printf("go to %s and enter %s before %s\n", dc.VerificationURI, dc.UserCode, dc.ExpiresAt.Format(time.Kitchen))
		},
		// Open is optional here; when set it gets verification_uri_complete.
	})
	switch {
	case errors.Is(err, auth.ErrDeviceCodeExpired):
		fmt.Println("the code expired; start again")
	case err != nil:
		fmt.Println("sign-in failed:", err)
	default:
		fmt.Println("signed in as", session.Subject())
	}
}

// ExampleLogin_clientCredentials gets a service-account token (RFC 6749
// §4.4): no browser, no user; TokenSource renews it with a new request.
// Not run: it needs a confidential client.
func ExampleLogin_clientCredentials() {
	ctx := context.Background()
	cfg := auth.Config{
		Issuer:       "https://op.example.com",
		ClientID:     "my-service",
		ClientSecret: auth.NewSecret("from the keychain"),
		AuthMethod:   auth.AuthClientSecretBasic, // a service account needs a secret
		Grant:        auth.GrantClientCredentials,
		Scopes:       []string{"orders:read"},
		Params:       []auth.Param{{Key: "audience", Value: "https://api.example.com"}},
	}
	session, err := auth.Login(ctx, cfg, auth.LoginOptions{})
	if err != nil {
		fmt.Println("token request failed:", err)
		return
	}
	tok, err := session.TokenSource().Token() // a new client_credentials request once expired
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("token type:", tok.TokenType)
}

// ExamplePasteBox finishes a sign-in whose browser cannot reach the
// loopback: the user pastes the address the browser ended at. Not run.
func ExamplePasteBox() {
	ctx := context.Background()
	box := auth.NewPasteBox()
	go func() {
		// From the UI's paste field; the error text is the refusal reason.
		if err := box.Submit("http://127.0.0.1:53111/callback?code=…&state=…"); err != nil {
			fmt.Println(err)
		}
	}()
	cfg := auth.Config{Issuer: "https://op.example.com", ClientID: "my-public-client", Scopes: []string{"openid"}}
	_, err := auth.Login(ctx, cfg, auth.LoginOptions{Open: func(context.Context, string) error { return nil }, Paste: box})
	var nc *auth.NoCallbackError
	if errors.As(err, &nc) && nc.Pending != nil {
		// Timed out with nothing back: a paste still works until nc.Pending.Expires().
		_, err = nc.Pending.Paste(ctx, "?code=…&state=…")
	}
	fmt.Println(err)
}
