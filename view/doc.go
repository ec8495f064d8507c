// Package view holds the plain data shapes the frontend receives from the Go
// bindings. They carry no behaviour: the desk package fills them from auth,
// store and apiclient results, and Wails turns them into TypeScript classes in
// frontend/wailsjs/go/models.ts.
//
// Secrets never travel in these structs unless a field's doc says it is the
// answer to an explicit reveal request.
package view
