package ui

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pkcedesk/e2e/harness"
)

// TestDeleteConfirmIsAKeyboardSafeModal checks the confirm dialog in a real
// engine: it opens as a modal with focus on Cancel, Escape cancels (the
// profile stays), and only the explicit Delete removes the profile.
func TestDeleteConfirmIsAKeyboardSafeModal(t *testing.T) {
	env := harness.Start(t, harness.Options{})
	p := appPage{t: t, env: env}
	p.load()
	id := p.saveProfile("Throwaway", "https://idp.example.com", "desk", "")
	p.selectProfile(id)
	p.click(testid("tab-profile"))
	p.click(testid("delete-button"))

	p.waitJS("the confirm dialog to open as a modal",
		`!!document.querySelector('dialog[open]') && document.querySelector('dialog[open]').matches(':modal')`, step)
	if got := p.eval(`document.activeElement?.getAttribute("data-testid") || ""`); got != "confirm-cancel" {
		t.Errorf("focus starts on %s, want the Cancel button", got)
	}

	ctx, cancel := p.ctx(step)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	cancel()
	p.waitJS("Escape to close the dialog", `!document.querySelector('dialog[open]')`, step)
	item := fmt.Sprintf(`[data-testid="profile-item"][data-profile-id=%q]`, id)
	if p.eval(fmt.Sprintf(`!!document.querySelector(%q)`, item)) != "true" {
		t.Fatal("Escape deleted the profile")
	}

	p.click(testid("delete-button"))
	p.waitJS("the confirm dialog to open again", `!!document.querySelector('dialog[open]')`, step)
	p.click(testid("confirm-ok"))
	p.waitJS("the profile to leave the sidebar", fmt.Sprintf(`!document.querySelector(%q)`, item), step)
}
