package desk

import (
	"context"
	"sync"
)

// cancels are the cancel functions of running operations (test requests,
// discoveries) by the key the UI cancels them with. Several operations may
// share a key; cancel ends all of them.
type cancels struct {
	mu   sync.Mutex
	next int
	ops  map[string]map[int]context.CancelFunc
}

// start derives a cancelable context from parent and registers it under key
// at once, before the operation does anything that may block. done must be
// called when the operation ends.
func (c *cancels) start(parent context.Context, key string) (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancel(parent)
	c.mu.Lock()
	if c.ops == nil {
		c.ops = map[string]map[int]context.CancelFunc{}
	}
	if c.ops[key] == nil {
		c.ops[key] = map[int]context.CancelFunc{}
	}
	c.next++
	n := c.next
	c.ops[key][n] = cancel
	c.mu.Unlock()
	return ctx, func() {
		cancel()
		c.mu.Lock()
		delete(c.ops[key], n)
		if len(c.ops[key]) == 0 {
			delete(c.ops, key)
		}
		c.mu.Unlock()
	}
}

// cancel ends every running operation registered under key.
func (c *cancels) cancel(key string) {
	c.mu.Lock()
	fs := make([]context.CancelFunc, 0, len(c.ops[key]))
	for _, f := range c.ops[key] {
		fs = append(fs, f)
	}
	c.mu.Unlock()
	for _, f := range fs {
		f()
	}
}
