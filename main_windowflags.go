//go:build !dev && !bindings

package main

// windowFlags are the flags that may come with a request to open the window
// (see cli.OpensWindow). The production runtime reads none of its own, so
// the window opens only with no arguments (or macOS's -psn_… argument).
var windowFlags []string
