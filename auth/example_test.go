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
