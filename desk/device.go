package desk

import (
	"strconv"
	"strings"
	"time"

	"pkcedesk/auth"
	"pkcedesk/internal/qr"
	"pkcedesk/view"
)

// onDeviceCode is the device grant's OnDeviceCode hook: the waiting screen
// gets the user code, the verification URI, its QR code and the expiry
// (RFC 8628 §3.3).
func (d *Desk) onDeviceCode(id string, state *profileState, attempt int) func(auth.DeviceCode) {
	return func(dc auth.DeviceCode) {
		dv := deviceView(dc)
		state.mu.Lock()
		ok := state.attempt == attempt
		if ok {
			state.device = &dv
		}
		state.mu.Unlock()
		if ok {
			d.emit(EventSession, d.Session(id))
		}
	}
}

// deviceView is a device code as the waiting screen shows it. The QR code
// holds verification_uri_complete when the provider sent one (scanning it
// skips typing the code), else verification_uri.
func deviceView(dc auth.DeviceCode) view.Device {
	v := view.Device{UserCode: dc.UserCode, VerificationURI: dc.VerificationURI,
		VerificationURIComplete: dc.VerificationURIComplete, Interval: int(dc.Interval / time.Second)}
	if !dc.ExpiresAt.IsZero() {
		v.ExpiresAt = dc.ExpiresAt.UTC().Format(time.RFC3339)
	}
	target := dc.VerificationURIComplete
	if target == "" {
		target = dc.VerificationURI
	}
	if c, err := qr.Encode(target); err == nil {
		v.QR = view.QR{Size: c.Size(), Path: c.SVGPath()}
	}
	return v
}

// slowDownInterval reads the new polling interval of a slow_down event,
// in seconds ("10", "10s").
func slowDownInterval(e auth.Event) (int, bool) {
	f, ok := e.Field("interval")
	if !ok {
		return 0, false
	}
	v := strings.TrimSpace(f.Value)
	if n, err := strconv.Atoi(v); err == nil {
		return n, true
	}
	if dur, err := time.ParseDuration(v); err == nil {
		return int(dur / time.Second), true
	}
	return 0, false
}
