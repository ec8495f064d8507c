package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Proves security rule 33 (docs/security.md).
func TestNoSecretInLogsErrorsOrTrace(t *testing.T) {
	op := newFakeOP(t)
	op.rotate, op.idOnRefresh = true, true
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var secrets []string
	keep := func(s string) {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	var (
		traceMu sync.Mutex
		trace   []string
	)
	opts := LoginOptions{Open: newBrowser().open, Logger: logger,
		Trace: func(e Event) {
			b, _ := json.Marshal(e)
			traceMu.Lock()
			trace = append(trace, e.String(), string(b))
			traceMu.Unlock()
		},
		OnToken: func(ts TokenSet) {
			logger.Debug("tokens", "set", ts)
			keep(ts.AccessToken.Reveal())
			keep(ts.RefreshToken.Reveal())
			keep(ts.IDToken.Reveal())
		}}
	cfg := op.config()
	cfg.ClientSecret, cfg.AuthMethod = NewSecret("client-secret-value-XYZ"), AuthClientSecretPost
	keep(cfg.ClientSecret.Reveal())
	s, err := Login(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	keep(op.lastTokenForm.Get("code"))
	keep(op.lastTokenForm.Get("code_verifier"))
	var errs []string
	note := func(err error) {
		if err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%+v %#v", err, err))
		}
	}
	_, err = s.Refresh(context.Background())
	note(err)
	_, err = s.UserInfo(context.Background())
	note(err)
	_, err = s.Introspect(context.Background(), RefreshToken)
	note(err)
	_, err = s.LogoutURL("")
	note(err)
	logger.Debug("session", "tokens", s.Token(), "checks", s.Checks())
	note(s.SignOut(context.Background()))
	_, err = s.Refresh(context.Background())
	note(err)
	// Error paths carry no secrets either: a failed exchange and an invalid_grant restore.
	op.claimsEdit = func(c map[string]any) { c["nonce"] = "x" }
	_, err = Login(context.Background(), cfg, opts)
	note(err)
	keep(op.lastTokenForm.Get("code"))
	keep(op.lastTokenForm.Get("code_verifier"))
	_, err = Restore(context.Background(), cfg, NewSecret(secrets[2]), opts)
	note(err)
	for _, ev := range s.Trace() {
		traceMu.Lock()
		trace = append(trace, ev.String(), fmt.Sprintf("%v %+v", ev, ev))
		traceMu.Unlock()
	}

	traceMu.Lock()
	defer traceMu.Unlock()
	haystack := logs.String() + strings.Join(errs, "\n") + strings.Join(trace, "\n")
	if len(secrets) < 7 {
		t.Fatalf("collected only %d secrets", len(secrets))
	}
	for _, sec := range secrets {
		if strings.Contains(haystack, sec) || strings.Contains(haystack, url.QueryEscape(sec)) {
			t.Errorf("secret %.8s… leaked", sec)
		}
	}
	if !strings.Contains(logs.String(), "token_request") {
		t.Error("debug log did not record the flow (test would be vacuous)")
	}
}

func TestSecretRedactsEverywhere(t *testing.T) {
	s := NewSecret("super-secret-token-value-123")
	ts := TokenSet{AccessToken: s, RefreshToken: s, IDToken: s, TokenType: "Bearer"}
	var b bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&b, nil))
	logger.Info("x", "s", s, "ts", ts)
	j, _ := json.Marshal(ts)
	out := fmt.Sprintf("%v %+v %#v %s %q", s, ts, ts, s, s) + string(j) + b.String()
	if strings.Contains(out, s.Reveal()) {
		t.Fatalf("leak: %s", out)
	}
	if s.Reveal() != "super-secret-token-value-123" || !strings.Contains(out, redacted) {
		t.Error("reveal or redaction broken")
	}
	if m := s.Mask(); len([]rune(m)) != 9 || strings.Contains(m, "token") {
		t.Errorf("mask %q", m)
	}
}
