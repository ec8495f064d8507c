package desk

import "pkcedesk/view"

// Event names the frontend listens to (wailsjs runtime EventsOn). They are
// the Go half of a contract: frontend/src/lib/events.ts lists the same names
// for the UI, and TestEventNamesMatchTheFrontend fails when the Event*
// constants of this file and that list differ. Every event name lives here.
const (
	// EventTrace carries a view.TraceUpdate: one new step of a flow.
	EventTrace = "trace"
	// EventSession carries a view.Session whenever a profile's status or tokens change.
	EventSession = "session"
	// EventNotice carries a view.Notice to show as a banner.
	EventNotice = "notice"
	// EventProfiles has no payload: the profile list changed.
	EventProfiles = "profiles"
	// EventInfo has no payload: Info changed (the keychain probe finished).
	EventInfo = "info"
)

// emit sends an event to the frontend through the window (nothing without one).
func (d *Desk) emit(name string, data any) {
	d.mu.Lock()
	emit := d.host.Emit
	d.mu.Unlock()
	if emit != nil {
		emit(name, data)
	}
}

// emitNotice shows msg as a banner; level is "info", "warn" or "error".
func (d *Desk) emitNotice(level, msg string) {
	d.emit(EventNotice, view.Notice{Level: level, Message: msg})
}
