package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/apiclient"
	"pkcedesk/store"
	"pkcedesk/view"
)

// Send sends a test request, attaching the profile's access token (refreshed
// when expired) when asked. The request is recorded in the profile's
// history without any credential. CancelSend with the spec's ID ends it at
// any step, from the first instant.
func (d *Desk) Send(ctx context.Context, v view.RequestSpec) (view.Response, error) {
	if err := d.ready(); err != nil {
		return view.Response{}, err
	}
	// CancelSend works from here on, before anything that may block; the
	// first steps run aside so that it ends them too.
	sendCtx, done := d.sends.start(ctx, v.ID)
	defer done()
	type prepared struct {
		p   store.Profile
		pem []byte
	}
	prep, err := aside(sendCtx, func() (prepared, error) {
		p, err := d.profileForUse(sendCtx, v.ProfileID)
		if err != nil {
			return prepared{}, err
		}
		pem, err := d.caBundle(p)
		return prepared{p, pem}, err
	})
	if errors.Is(err, context.Canceled) {
		return responseView(v.ID, nil, err), nil
	}
	if err != nil {
		return view.Response{}, err
	}
	p := prep.p
	spec := specFromView(v)
	var ts oauth2.TokenSource
	if spec.AttachToken {
		_, s, err := d.currentSession(v.ProfileID)
		if err != nil {
			return view.Response{RequestID: v.ID, Error: &view.Error{Kind: "not_signed_in",
				Message: "Sign in first to attach a token, or turn off the Bearer token line."}}, nil
		}
		ts = s.TokenSource()
	}
	opts := apiclient.Options{AllowInsecureToken: v.AllowInsecure, Logger: d.log}
	if prep.pem != nil {
		if opts.RootCAs, err = apiclient.CertPoolFromPEM(prep.pem); err != nil {
			return view.Response{}, err
		}
	}

	at := time.Now()
	resp, sendErr := apiclient.Do(sendCtx, spec, ts, opts)
	out := responseView(v.ID, resp, sendErr)
	if !out.NeedsInsecureConsent {
		d.record(p.ID, spec, resp, at)
	}
	d.bodies.split(&out)
	if spec.AttachToken {
		// The token source may have refreshed (or found the session ended).
		d.emit(EventSession, d.Session(v.ProfileID))
	}
	return out, nil
}

// CancelSend cancels a request in flight, at any step.
func (d *Desk) CancelSend(requestID string) { d.sends.cancel(requestID) }

func specFromView(v view.RequestSpec) apiclient.Spec {
	conv := func(kv view.KV) apiclient.KV { return apiclient.KV(kv) }
	return apiclient.Spec{Method: v.Method, URL: v.URL, Params: mapSlice(v.Params, conv), Headers: mapSlice(v.Headers, conv),
		BodyType: v.BodyType, Body: v.Body, Form: mapSlice(v.Form, conv), AttachToken: v.AttachToken}
}

// specView is the inverse of specFromView, for a request loaded back from
// history into the console.
func specView(profileID string, s apiclient.Spec) view.RequestSpec {
	conv := func(kv apiclient.KV) view.KV { return view.KV(kv) }
	return view.RequestSpec{ProfileID: profileID, Method: s.Method, URL: s.URL, Params: mapSlice(s.Params, conv),
		Headers: mapSlice(s.Headers, conv), BodyType: s.BodyType, Body: s.Body, Form: mapSlice(s.Form, conv), AttachToken: s.AttachToken}
}

func responseView(id string, r *apiclient.Response, err error) view.Response {
	out := view.Response{RequestID: id, TotalSize: -1, Headers: []view.KV{}, Notices: []string{}}
	if err != nil {
		out.Error = &view.Error{Message: err.Error(), Kind: "request"}
		var se *apiclient.SpecError
		var je *apiclient.JSONBodyError
		switch {
		case errors.Is(err, apiclient.ErrInsecureTokenTransport):
			out.NeedsInsecureConsent, out.Error.Kind = true, "insecure_transport"
		case errors.Is(err, context.Canceled):
			out.Error.Kind, out.Error.Message = "canceled", "Request canceled."
		case errors.Is(err, apiclient.ErrTimeout):
			out.Error.Kind = "timeout"
		case errors.As(err, &se), errors.As(err, &je):
			out.Error.Kind = "spec"
		}
		return out
	}
	for _, h := range r.Headers {
		out.Headers = append(out.Headers, view.KV{Key: h.Name, Value: h.Value, Enabled: true})
	}
	out.Status, out.StatusText, out.Proto = r.Status, r.StatusText, r.Proto
	out.BodyKind, out.Body, out.PrettyBody, out.HexBody = r.BodyKind, r.Body, r.Pretty, r.Hex
	out.Size, out.TotalSize, out.Truncated = r.Size, r.TotalSize, r.Truncated
	out.Notices = append(out.Notices, r.Notices...)
	for _, rd := range r.Redirects {
		if len(rd.Dropped) > 0 {
			out.Notices = append(out.Notices, fmt.Sprintf("Redirected to another origin (%s): %s not sent there.",
				apiclient.RedactString(rd.To), strings.Join(rd.Dropped, ", ")))
		}
	}
	t := r.Timings
	out.Timings = view.Timings{DNSMs: ms(t.DNSMs), ConnectMs: ms(t.ConnectMs), TLSMs: ms(t.TLSMs), FirstByteMs: ms(t.TTFBMs), TotalMs: t.TotalMs}
	return out
}

// ms turns an optional phase into milliseconds, -1 when not measured.
func ms(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

// record keeps a history entry: apiclient.NewRecord makes it free of
// credentials, and the store keeps exactly that record.
func (d *Desk) record(profileID string, spec apiclient.Spec, resp *apiclient.Response, at time.Time) {
	if _, err := d.st().AddHistory(profileID, apiclient.NewRecord(spec, resp, at)); err != nil {
		d.log.Warn("record history", "err", err)
	}
}

// History lists a profile's sent requests, newest first, without tokens.
func (d *Desk) History(profileID string) []view.HistoryEntry {
	if d.ready() != nil {
		return []view.HistoryEntry{}
	}
	hs := d.st().History(profileID)
	out := make([]view.HistoryEntry, 0, len(hs))
	for _, h := range hs {
		out = append(out, view.HistoryEntry{ID: h.ID, Time: h.Time.UTC().Format(time.RFC3339), Method: h.Method,
			URL: h.URL, Status: h.Status, DurationMs: float64(h.DurationMs), Size: h.Size,
			Spec: specView(profileID, h.Spec())})
	}
	return out
}

// ClearHistory forgets a profile's sent requests.
func (d *Desk) ClearHistory(profileID string) error {
	if err := d.ready(); err != nil {
		return err
	}
	return d.st().ClearHistory(profileID)
}

// Curl renders a request as a curl command. The token is written out only
// when reveal is true and presentation mode is off; otherwise the command
// uses $ACCESS_TOKEN.
func (d *Desk) Curl(v view.RequestSpec, reveal bool) (string, error) {
	token := ""
	if v.AttachToken && reveal {
		if d.presentationMode() {
			return "", errPresentation
		}
		_, s, err := d.currentSession(v.ProfileID)
		if err != nil {
			return "", err
		}
		token = s.Token().AccessToken.Reveal()
	}
	return apiclient.Curl(specFromView(v), token, reveal), nil
}
