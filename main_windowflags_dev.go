//go:build dev

package main

import "pkcedesk/cli"

// windowFlags are the flags that may come with a request to open the window
// (see cli.OpensWindow): in a dev build, those Wails' dev runtime reads, as
// in `pkce-desk-dev -assetdir frontend/dist`.
var windowFlags = cli.WailsDevFlags
