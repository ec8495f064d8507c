package desk

import "context"

// aside runs fn on a goroutine of its own and returns its result, or ctx's
// error as soon as ctx ends, whichever comes first. It is for the first
// steps of an operation that take no context — reading the client secret
// from a keychain that waits for an unlock prompt, reading a file on a
// stalled mount — so that Cancel ends the operation at once. When ctx wins,
// fn still runs to its end and its result is dropped; fn must not change
// shared state the caller would then have to undo.
func aside[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: a dropped result never blocks fn
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
