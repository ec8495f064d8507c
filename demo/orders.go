package demo

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Order is one record of the demo API's order book.
type Order struct {
	ID        string    `json:"id"`
	Item      string    `json:"item"`
	Quantity  int       `json:"quantity"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// maxOrders caps the in-memory order book.
const maxOrders = 1000

// orderBook is one Server's orders, seeded with two examples.
type orderBook struct {
	mu     sync.Mutex
	next   int
	orders []Order
}

func newOrderBook() *orderBook {
	t := time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)
	return &orderBook{next: 3, orders: []Order{
		{ID: "ord-1", Item: "Loopback adapter", Quantity: 2, CreatedBy: "alice", CreatedAt: t},
		{ID: "ord-2", Item: "PKCE verifier (43 chars)", Quantity: 1, CreatedBy: "alice", CreatedAt: t.Add(time.Hour)},
	}}
}

// list returns a copy of all orders.
func (b *orderBook) list() []Order {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.orders)
}

// add stores a new order and returns it, or fails when the book is full.
func (b *orderBook) add(item string, qty int, by string, at time.Time) (Order, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.orders) >= maxOrders {
		return Order{}, fmt.Errorf("the demo order book is full (%d orders); restart the demo provider", maxOrders)
	}
	o := Order{ID: fmt.Sprintf("ord-%d", b.next), Item: item, Quantity: qty, CreatedBy: by, CreatedAt: at.UTC().Truncate(time.Second)}
	b.next++
	b.orders = append(b.orders, o)
	return o, nil
}
