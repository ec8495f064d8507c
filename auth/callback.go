package auth

import (
	"context"
	"net/url"
	"sync"
)

// callbackParams are the authorization response parameters (RFC 6749
// §4.1.2, RFC 9207 §2).
type callbackParams struct {
	Code             Secret
	State            string
	Error            string
	ErrorDescription string
	ErrorURI         string
	Iss              string
	HasIss           bool
}

// maxCallbackQuery caps the query we parse; real responses are far smaller.
const maxCallbackQuery = 8 << 10

// parseCallback parses a callback query. Repeated parameters make the
// request invalid (RFC 6749 §3.1: "parameters MUST NOT be included more than
// once"), as does an over-long or malformed query; ok is false then.
func parseCallback(rawQuery string) (p callbackParams, ok bool) {
	if len(rawQuery) > maxCallbackQuery {
		return p, false
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return p, false
	}
	for _, k := range []string{"code", "state", "error", "error_description", "error_uri", "iss"} {
		if len(q[k]) > 1 {
			return p, false
		}
	}
	p.Code = NewSecret(q.Get("code"))
	p.State = q.Get("state")
	p.Error = q.Get("error")
	p.ErrorDescription = q.Get("error_description")
	p.ErrorURI = q.Get("error_uri")
	p.Iss = q.Get("iss")
	_, p.HasIss = q["iss"]
	return p, true
}

// gate is the one implementation of the authorization-response rules,
// shared by the loopback receiver and a pasted redirect (PasteBox,
// PendingSignIn): the state must match (CSRF, RFC 6749 §10.12), the
// response must carry a code or an error, the RFC 9207 iss verdict is
// taken at once, and exactly one response is ever accepted. Refusals keep
// the sign-in waiting.
type gate struct {
	state string
	tr    *tracer
	// issVerdict judges iss (RFC 9207) without tracing; nil: no check.
	issVerdict func(callbackParams) (*Check, error)

	mu      sync.Mutex
	done    bool
	forged  int // refused loopback callbacks
	refused int // refused pastes
	result  chan accepted
}

// accepted is the one response the gate let through, with its iss verdict.
type accepted struct {
	p     callbackParams
	via   string // "loopback" or "paste"
	check *Check // the callback issuer check, when one applies
	err   error  // non-nil: iss failed, the sign-in stops
}

func newGate(state string, tr *tracer, iss func(callbackParams) (*Check, error)) *gate {
	return &gate{state: state, tr: tr, issVerdict: iss, result: make(chan accepted, 1)}
}

// outcome is a gate's answer to one response.
type outcome int

const (
	outcomeAccepted outcome = iota // the one response; result delivered
	outcomeUsed                    // a response was already accepted
	outcomeRefused                 // wrong/missing state, malformed, no code
)

// Reasons a response is refused, worded for people (PasteError.Reason and
// the trace).
const (
	reasonMalformed = "the URL's query is malformed or repeats a parameter"
	reasonNoState   = "the URL has no state parameter: it is not the redirect of this sign-in"
	reasonBadState  = "the state does not match this sign-in: this URL is from another attempt or was forged"
	reasonNoCode    = "the URL has the right state but neither a code nor an error"
	reasonUsed      = "this sign-in has already received its redirect; a redirect URL works only once"
)

// offer applies the rules to one authorization response. On
// outcomeAccepted the caller must deliver acc (acc.err is non-nil when iss
// failed: the sign-in stops).
func (g *gate) offer(rawQuery, via string) (outcome, string, accepted) {
	p, ok := parseCallback(rawQuery)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		return outcomeUsed, reasonUsed, accepted{}
	}
	switch {
	case !ok:
		return outcomeRefused, reasonMalformed, accepted{}
	case p.State == "":
		return outcomeRefused, reasonNoState, accepted{}
	case !equalConstantTime(p.State, g.state):
		return outcomeRefused, reasonBadState, accepted{}
	case p.Code.IsZero() && p.Error == "":
		return outcomeRefused, reasonNoCode, accepted{}
	}
	g.done = true
	acc := accepted{p: p, via: via}
	if g.issVerdict != nil {
		acc.check, acc.err = g.issVerdict(p)
	}
	fields := []Field{field("state", "matches"), field("ignored_before", g.forged), field("via", via)}
	if p.HasIss {
		fields = append(fields, field("iss", cleanText(p.Iss, 200)))
	}
	if p.Error != "" {
		fields = append(fields, field("error", cleanText(p.Error, 64)), field("error_description", cleanText(p.ErrorDescription, maxDescriptionRunes)))
		g.tr.add(StepCallback, KindCallbackError, "callback received with an error from the provider", fields...)
	} else {
		fields = append(fields, secretField("code", p.Code))
		g.tr.add(StepCallback, KindCallbackReceived, "callback received: authorization code with matching state", fields...)
	}
	return outcomeAccepted, "", acc
}

// deliver hands the accepted response to wait. The loopback calls it
// after its page is on the wire, so closing the listener at once never
// cuts the browser's answer short.
func (g *gate) deliver(acc accepted) { g.result <- acc }

// isDone reports whether a response was accepted.
func (g *gate) isDone() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.done
}

// countForged counts a refused loopback request and returns the count.
func (g *gate) countForged() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.forged++
	return g.forged
}

// countRefused counts a refused paste and returns the count.
func (g *gate) countRefused() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.refused++
	return g.refused
}

func (g *gate) forgedCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.forged
}

// wait blocks for the one accepted response, or ctx's end.
func (g *gate) wait(ctx context.Context) (accepted, error) {
	select {
	case a := <-g.result:
		return a, nil
	case <-ctx.Done():
		return accepted{}, ctxErr(ctx)
	}
}
