package harness

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
)

// Main runs the tests of a package that uses the harness and returns the
// exit code; call it as os.Exit(harness.Main(m)) from TestMain. Processes
// run in their own process groups, so an interrupt of `go test` does not
// reach them: on SIGINT, SIGTERM or SIGHUP, and after the tests, Main stops
// every Process still running, by PID, and removes the binaries the harness
// built into temp folders.
func Main(m *testing.M) int {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		s := <-sig
		fmt.Fprintf(os.Stderr, "harness: got %s, stopping the processes the tests started\n", s)
		StopAll()
		cleanBuilt()
		os.Exit(2)
	}()
	code := m.Run()
	StopAll()
	cleanBuilt()
	return code
}

// cleanBuilt removes what PlainBinary built.
func cleanBuilt() {
	if plainDir != "" {
		os.RemoveAll(plainDir)
	}
}
