package view

// TraceEvent is one step of a flow for the timeline, with secret field
// values masked.
type TraceEvent struct {
	// Attempt is the sign-in or restore the event belongs to (Session.Attempt
	// at the time); Seq numbers the events within it from 0.
	Attempt  int          `json:"attempt"`
	Seq      int          `json:"seq"`
	Time     string       `json:"time"` // RFC 3339 with milliseconds
	OffsetMs float64      `json:"offsetMs"`
	Step     string       `json:"step"`
	Status   string       `json:"status"` // ok, fail, warn, info, pending
	Title    string       `json:"title"`
	Detail   string       `json:"detail"`
	Fields   []TraceField `json:"fields"`
}

// TraceField is one named value of a trace event. When Secret is true,
// Value is masked; the real value comes only from an explicit reveal call.
type TraceField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Secret bool   `json:"secret"`
}

// TraceUpdate is the payload of the "trace" event: one new event of a
// profile's current flow.
type TraceUpdate struct {
	ProfileID string     `json:"profileId"`
	Event     TraceEvent `json:"event"`
}
