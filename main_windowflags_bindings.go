//go:build bindings && !dev

package main

import "pkcedesk/cli"

// windowFlags are the flags that may come with a request to open the window
// (see cli.OpensWindow): in a bindings build, which writes frontend/wailsjs
// instead of opening it, those Wails' bindings generator reads.
var windowFlags = cli.WailsBindingsFlags
