//go:build !windows

package cli

import (
	"io/fs"
	"os"
	"syscall"
)

// GUIName is the file name of the window binary (the Wails app).
const GUIName = "pkce-desk-gui"

func isExecutable(fi fs.FileInfo) bool { return fi.Mode().Perm()&0o111 != 0 }

// startGUI replaces this process with the window binary (execve): same PID,
// same arguments, environment and terminal, and none of this command's
// memory stays behind while the window runs. It returns only on failure.
func startGUI(gui string, args []string) error {
	return syscall.Exec(gui, append([]string{gui}, args...), os.Environ())
}
