package store

import (
	"testing"
	"time"
)

func TestDeferredSecretsWaitsForResolveThenForwards(t *testing.T) {
	d := NewDeferredSecrets()
	if d.Resolved() != nil {
		t.Fatal("Resolved before Resolve")
	}
	got := make(chan string, 1)
	go func() {
		v, _ := d.Get("p-1", RefreshToken)
		got <- v
	}()
	select {
	case v := <-got:
		t.Fatalf("Get answered %q before the secret store was known", v)
	case <-time.After(20 * time.Millisecond):
	}
	mem := NewMemorySecrets()
	if err := mem.Set("p-1", RefreshToken, "rt-1"); err != nil {
		t.Fatal(err)
	}
	if !d.Resolve(mem) {
		t.Fatal("the first Resolve did not count")
	}
	select {
	case v := <-got:
		if v != "rt-1" {
			t.Fatalf("Get = %q, want the value in the resolved store", v)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Get still waiting after Resolve")
	}
	if d.Resolve(NewMemorySecrets()) || d.Resolved() != Secrets(mem) {
		t.Fatal("a second Resolve replaced the secret store")
	}
	if err := d.Set("p-1", ClientSecret, "cs"); err != nil {
		t.Fatal(err)
	}
	if v, _ := mem.Get("p-1", ClientSecret); v != "cs" || d.Persistent() {
		t.Fatalf("Set went elsewhere (%q) or Persistent is wrong", v)
	}
	if err := d.DeleteAll("p-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Get("p-1", RefreshToken); err == nil {
		t.Fatal("DeleteAll did not reach the resolved store")
	}
}
