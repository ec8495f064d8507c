package store

import (
	"fmt"
	"sync"
	"testing"

	"pkcedesk/apiclient"
)

// TestConcurrentUse hammers one store from several goroutines; run with
// -race. Every operation must succeed and the end state must add up.
func TestConcurrentUse(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	if _, err := s.EnsureDemoProfile(""); err != nil {
		t.Fatal(err)
	}
	const workers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each*4)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				p, err := s.SaveProfile(validProfile(fmt.Sprintf("w%d-%d", w, i)))
				if err != nil {
					errs <- err
					continue
				}
				if _, err := s.AddHistory(p.ID, apiclient.Record{Method: "GET", URL: "https://x.example/"}); err != nil {
					errs <- err
				}
				if _, err := s.SaveSettings(Settings{SelectedProfileID: p.ID}); err != nil {
					errs <- err
				}
				if err := s.Secrets().Set(p.ID, RefreshToken, "rt"); err != nil {
					errs <- err
				}
				_ = s.Profiles()
				_ = s.History(p.ID)
				if i%3 == 0 {
					if err := s.DeleteProfile(p.ID); err != nil {
						errs <- err
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	deleted := workers * ((each + 2) / 3)
	want := 3 + workers*each - deleted // the three built-in demo profiles
	if n := len(s.Profiles()); n != want {
		t.Errorf("profiles = %d, want %d", n, want)
	}
	if n := len(openTest(t, dir).Profiles()); n != want {
		t.Errorf("on disk = %d, want %d", n, want)
	}
}
