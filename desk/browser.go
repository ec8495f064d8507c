package desk

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"pkcedesk/auth"
)

// browserGrace is how long the opener waits for Host.OpenBrowser to
// report a failure before letting the sign-in go on waiting: longer than
// the launcher's own grace period (internal/launch.DefaultGrace, 3 s), so
// a launcher that fails within it is always heard.
const browserGrace = 5 * time.Second

// opener hands the authorization URL to the system browser (RFC 8252 §7,
// never the app's webview). The browser command may block until the
// browser exits, so it runs aside; a failure within browserGrace is
// reported, after that the sign-in simply keeps waiting.
func (d *Desk) opener() auth.Opener {
	return func(ctx context.Context, url string) error {
		open := d.systemBrowser()
		if open == nil {
			return errors.New("no system browser is available: copy the URL from the Flow tab into your browser")
		}
		done := make(chan error, 1)
		go func() { done <- open(url) }()
		select {
		case err := <-done:
			return err
		case <-time.After(browserGrace):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// OpenInBrowser opens an http(s) link in the system browser, never in the
// app's webview (security rule 28).
func (d *Desk) OpenInBrowser(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("only http and https links open in the browser, not %q", raw)
	}
	open := d.systemBrowser()
	if open == nil {
		return errors.New("no system browser is available")
	}
	return open(u.String())
}

// raise brings the window to the front, when the host can.
func (d *Desk) raise() {
	d.mu.Lock()
	raise := d.host.Raise
	d.mu.Unlock()
	if raise != nil {
		go raise()
	}
}

// systemBrowser is the window's way to open the system browser, or nil
// when there is none (tests, a host without one).
func (d *Desk) systemBrowser() func(url string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.host.OpenBrowser
}
