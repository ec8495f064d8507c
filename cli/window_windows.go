//go:build windows

package cli

import (
	"io/fs"
	"os/exec"
)

// GUIName is the file name of the window binary (the Wails app, a GUI
// subsystem exe). The command itself is the console-subsystem
// pkce-desk.com beside it: cmd.exe and PowerShell try .COM before .EXE
// (PATHEXT), so `pkce-desk login` typed in a console runs the command and
// prints, while the Start-menu shortcut and a double-click open the window.
const GUIName = "pkce-desk.exe"

func isExecutable(fs.FileInfo) bool { return true }

// startGUI starts the window process and returns at once: the console the
// command was typed in is free again while the window runs.
func startGUI(gui string, args []string) error {
	cmd := exec.Command(gui, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
