package harness

import (
	"net"
	"slices"
	"strconv"
	"testing"
)

func TestSetEnvReplacesAndAppends(t *testing.T) {
	env := []string{"A=1", "PATH=/usr/bin", "B=2"}
	got := SetEnv(env, "PATH=/stand-in:/usr/bin", "C=3")
	want := []string{"A=1", "B=2", "PATH=/stand-in:/usr/bin", "C=3"}
	if !slices.Equal(got, want) {
		t.Errorf("setEnv = %q, want %q", got, want)
	}
	if env[1] != "PATH=/usr/bin" {
		t.Errorf("setEnv changed its input: %q", env)
	}
}

func TestFilteredEnvironDrops(t *testing.T) {
	t.Setenv("PKCE_DESK_HARNESS_DROP_ME", "x")
	t.Setenv("PKCE_DESK_HARNESS_KEEP_ME", "y")
	env := filteredEnviron("PKCE_DESK_HARNESS_DROP_ME")
	if slices.Contains(env, "PKCE_DESK_HARNESS_DROP_ME=x") {
		t.Error("the dropped variable is still there")
	}
	if !slices.Contains(env, "PKCE_DESK_HARNESS_KEEP_ME=y") {
		t.Error("another variable was dropped too")
	}
}

func TestPortFree(t *testing.T) {
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if !PortFree(port) {
		t.Fatalf("port %d from FreePort is not free", port)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Skipf("port %d was taken by someone else meanwhile: %v", port, err)
	}
	defer l.Close()
	if PortFree(port) {
		t.Errorf("PortFree(%d) = true while we listen on it", port)
	}
}
