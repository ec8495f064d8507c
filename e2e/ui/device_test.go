package ui

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	goqr "github.com/piglig/go-qr"

	"pkcedesk/e2e/harness"
)

// deviceInfo mirrors view.Device.
type deviceInfo struct {
	UserCode                string `json:"userCode"`
	VerificationURI         string `json:"verificationUri"`
	VerificationURIComplete string `json:"verificationUriComplete"`
	ExpiresAt               string `json:"expiresAt"`
	Interval                int    `json:"interval"`
	QR                      struct {
		Size int    `json:"size"`
		Path string `json:"path"`
	} `json:"qr"`
}

// saveGrantProfile saves a demo-provider profile for the public client with
// the given grant ("device_code", ...) and extra fields (a JS object
// literal's members, may be "") and returns its id.
func (p appPage) saveGrantProfile(name, issuer, grant, extra string) string {
	p.t.Helper()
	var res struct {
		Profile profileInfo                       `json:"profile"`
		Errors  []struct{ Field, Message string } `json:"errors"`
	}
	if extra != "" {
		extra = ", " + extra
	}
	p.evalInto(fmt.Sprintf(`window.go.main.App.SaveProfile({name: %q, issuer: %q, clientId: "pkce-desk-demo", grant: %q,
		authMethod: "none", scopes: ["openid", "profile", "email"], params: [], endpoints: {},
		redirectHost: "127.0.0.1", redirectPath: "/callback", timeoutSeconds: 120, apiBase: %q %s})`,
		name, issuer, grant, strings.TrimRight(issuer, "/")+"/api", extra), &res)
	if len(res.Errors) > 0 || res.Profile.ID == "" {
		p.t.Fatalf("SaveProfile refused profile %q: %+v", name, res.Errors)
	}
	return res.Profile.ID
}

// waitDevice waits for the device screen of profile id and returns what Go
// says the device sign-in shows.
func (p appPage) waitDevice(id string) deviceInfo {
	p.t.Helper()
	p.waitJS("the device screen with its QR code", `!!document.querySelector('[data-testid="device-qr"] path')?.getAttribute('d')`, 45*time.Second)
	var dev deviceInfo
	p.evalInto(fmt.Sprintf(`window.go.main.App.Session(%q).then(s => s.device)`, id), &dev)
	if dev.UserCode == "" || dev.VerificationURIComplete == "" || dev.QR.Size == 0 {
		p.t.Fatalf("Go's session has no complete device sign-in: %+v", dev)
	}
	return dev
}

// qrRun is one run of dark modules in the SVG path internal/qr draws.
var qrRun = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// decodeQRPath draws the page's QR path (module units, viewBox 0 0 size
// size) at scale px per module and decodes it as a phone would.
func decodeQRPath(t *testing.T, path string, size int) string {
	t.Helper()
	const scale = 8
	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for rest := strings.TrimSpace(path); rest != ""; {
		m := qrRun.FindStringSubmatch(rest)
		if m == nil {
			t.Fatalf("the QR path has text the test does not know at %.40q", rest)
		}
		rest = strings.TrimSpace(rest[len(m[0]):])
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	text, err := goqr.Decode(img)
	if err != nil {
		t.Fatalf("the QR path on the page does not decode: %v", err)
	}
	return text
}

// decodeQRScreenshot screenshots the QR code as the page paints it and
// decodes the picture.
func (p appPage) decodeQRScreenshot() (string, error) {
	ctx, cancel := p.ctx(step)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(testid("device-qr"))))
	if err != nil {
		return "", fmt.Errorf("screenshot the QR code: %w", err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return "", fmt.Errorf("read the QR screenshot: %w", err)
	}
	return goqr.Decode(img)
}

// TestDeviceSignInWithTheQRCode is the device grant (RFC 8628) in the GUI
// against the demo provider: the device screen shows the user code, the
// verification URI, a countdown and a QR code; the QR code as painted
// decodes to verification_uri_complete; a person at a second browser opens
// that URL, presses Continue (the code is filled in), picks alice and
// allows; the app, polling meanwhile, signs in. Screenshots:
// ui-device.png, ui-device-small.png (1024×700), ui-device-dark.png,
// ui-device-signed-in.png and the person's page ui-device-approved.png.
func TestDeviceSignInWithTheQRCode(t *testing.T) {
	env := harness.Start(t, harness.Options{}) // opened URLs queue; nobody visits them
	p := appPage{t: t, env: env}
	p.load()
	issuer := demoIssuer(p)
	id := p.saveGrantProfile("E2E device", issuer, "device_code", "")
	p.selectProfile(id)

	p.click(testid("signin-button"))
	dev := p.waitDevice(id)
	p.waitStatus("waiting", step)
	if got := p.text(testid("device-user-code")); got != dev.UserCode {
		t.Errorf("the device screen shows the code %q, Go issued %q", got, dev.UserCode)
	}
	if got := p.text(testid("device-verification-uri")); got != dev.VerificationURI {
		t.Errorf("the device screen names %q, want the verification URI %q", got, dev.VerificationURI)
	}
	if got := p.text(testid("device-countdown")); !strings.Contains(got, "expires in") {
		t.Errorf("the countdown reads %q, want \"The code expires in m:ss\"", got)
	}
	if got := p.text(testid("status-text")); !strings.Contains(got, "approve on another device") {
		t.Errorf("status line while the device code waits: %q", got)
	}
	var fontPx float64
	p.evalInto(`parseFloat(getComputedStyle(document.querySelector('[data-testid="device-user-code"]')).fontSize)`, &fontPx)
	if fontPx < 32 {
		t.Errorf("the user code is %.0f px; it should be large enough to read across a room (≥ 32 px)", fontPx)
	}

	// The QR code: its SVG path is Go's, bound as an attribute, and the
	// painted picture decodes to the link with the code filled in.
	var qr struct {
		ViewBox string `json:"viewBox"`
		D       string `json:"d"`
		Width   float64
	}
	p.evalInto(`(() => { const s = document.querySelector('[data-testid="device-qr"]');
		return {viewBox: s.getAttribute('viewBox'), d: s.querySelector('path').getAttribute('d'), Width: s.getBoundingClientRect().width}; })()`, &qr)
	if want := fmt.Sprintf("0 0 %d %d", dev.QR.Size, dev.QR.Size); qr.ViewBox != want || qr.D != dev.QR.Path {
		t.Errorf("the QR svg has viewBox %q and a path of %d chars; want %q and Go's path (%d chars)", qr.ViewBox, len(qr.D), want, len(dev.QR.Path))
	}
	if qr.Width < 200 {
		t.Errorf("the QR code is %.0f px wide; too small to scan from a projector", qr.Width)
	}
	qrURL := decodeQRPath(t, qr.D, dev.QR.Size)
	if qrURL != dev.VerificationURIComplete {
		t.Fatalf("the QR code holds %q, want verification_uri_complete %q", qrURL, dev.VerificationURIComplete)
	}
	if painted, err := p.decodeQRScreenshot(); err != nil || painted != qrURL {
		t.Errorf("the QR code as painted decodes to %q (%v), want %q", painted, err, qrURL)
	}
	p.screenshot("ui-device.png")

	p.viewport(1024, 700)
	var overflow struct{ Doc, Inner int }
	p.evalInto(`({Doc: document.documentElement.scrollWidth, Inner: window.innerWidth})`, &overflow)
	if overflow.Doc > overflow.Inner {
		t.Errorf("at 1024×700 the device screen is %d px wide: it scrolls sideways", overflow.Doc)
	}
	p.screenshot("ui-device-small.png")
	p.viewport(1280, 800)
	p.eval(`(() => { const s = document.querySelector('[data-testid="theme-select"]'); s.value = 'dark';
		s.dispatchEvent(new Event('change', {bubbles: true})); return ''; })()`)
	p.waitJS("the dark theme", `document.documentElement.dataset.theme === 'dark'`, step)
	p.screenshot("ui-device-dark.png")
	if dark, err := p.decodeQRScreenshot(); err != nil || dark != qrURL {
		t.Errorf("in the dark theme the QR code decodes to %q (%v); it must stay dark-on-light", dark, err)
	}
	p.eval(`(() => { const s = document.querySelector('[data-testid="theme-select"]'); s.value = 'system';
		s.dispatchEvent(new Event('change', {bubbles: true})); return ''; })()`)

	// The person scans the code: their browser opens the QR's URL.
	who := newPerson(t, env, "alice", "allow")
	end, steps := who.visit(qrURL)
	if !slices.Equal(steps, []string{"device: continue", "login: alice", "consent: allow"}) {
		t.Errorf("the person went through %q, want the device page, login and consent", steps)
	}
	if !strings.Contains(end.Text, "Device signed in") {
		t.Errorf("the person's browser ended on %q, want the demo's \"Device signed in\" page", oneLine(end.Text))
	}
	who.screenshot("ui-device-approved.png")

	p.waitStatus("signed_in", 60*time.Second)
	if got := p.text(testid("status-text")); !strings.Contains(got, "Signed in as Alice") {
		t.Errorf("status line after the device sign-in: %q", got)
	}
	if n := p.eval(`String(document.querySelectorAll('[data-testid="device-signin"]').length)`); n != "0" {
		t.Errorf("the device screen is still shown after the sign-in")
	}
	var trace []struct{ Step, Status, Title string }
	p.evalInto(fmt.Sprintf(`window.go.main.App.Trace(%q)`, id), &trace)
	var stepsSeen []string
	for _, e := range trace {
		stepsSeen = append(stepsSeen, e.Step)
		if e.Step == "callback" || e.Step == "listener" {
			t.Errorf("a device sign-in has a %s step (%q): it opens no loopback listener", e.Step, e.Title)
		}
	}
	if !slices.Contains(stepsSeen, "device") {
		t.Errorf("the trace has steps %q, want the device step", stepsSeen)
	}
	p.click(testid("tab-flow"))
	p.waitJS("the timeline", `document.querySelectorAll('[data-testid="timeline-event"]').length > 0`, step)
	if failed := p.eval(`[...document.querySelectorAll('[data-testid="timeline-event"][data-status="fail"]')].map(e => e.innerText).join(' | ')`); failed != "" {
		t.Errorf("failed timeline rows after a good device sign-in: %s", oneLine(failed))
	}
	p.screenshot("ui-device-signed-in.png")
}

// TestDeviceSignInDenied: the person presses Deny on the second device; the
// device screen ends with the reason and "Start again", which asks for a
// new code; Cancel ends that one. Screenshot: ui-device-denied.png.
func TestDeviceSignInDenied(t *testing.T) {
	env := harness.Start(t, harness.Options{})
	p := appPage{t: t, env: env}
	p.load()
	issuer := demoIssuer(p)
	id := p.saveGrantProfile("E2E device denied", issuer, "device_code", "")
	p.selectProfile(id)
	p.click(testid("signin-button"))
	dev := p.waitDevice(id)

	// Open in browser hands verification_uri_complete to the system browser.
	p.click(testid("device-open"))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opened, err := env.Opener.Next(ctx)
	if err != nil || opened != dev.VerificationURIComplete {
		t.Errorf("Open in browser opened %q (%v), want %q", opened, err, dev.VerificationURIComplete)
	}

	who := newPerson(t, env, "alice", "deny")
	end, _ := who.visit(dev.VerificationURIComplete)
	if !strings.Contains(end.Text, "denied") {
		t.Errorf("after Deny the person's page says %q", oneLine(end.Text))
	}
	p.waitStatus("error", 60*time.Second)
	p.waitJS("the denied end", `!!document.querySelector('[data-testid="device-ended"]')`, step)
	if got := p.text(testid("device-ended")); !strings.Contains(strings.ToLower(got), "denied") {
		t.Errorf("the device screen ended with %q; want it to say the sign-in was denied", got)
	}
	p.screenshot("ui-device-denied.png")

	p.click(testid("device-start-again"))
	p.waitJS("a new device code", fmt.Sprintf(`(() => { const c = document.querySelector('[data-testid="device-user-code"]');
		return !!c && c.innerText.trim() !== %q; })()`, dev.UserCode), 45*time.Second)
	p.click(testid("device-cancel"))
	p.waitStatus("signed_out", step)
	if got := p.eval(`document.querySelector('[data-testid="session-error"]')?.innerText ?? ''`); got != "" {
		t.Errorf("a canceled device sign-in shows an error banner %q", got)
	}
}
