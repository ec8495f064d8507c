package demo

import "slices"

// User is one of the demo provider's built-in people. The values are fixed so
// that tests and demos can rely on them; no password exists — the login page
// lets the person pick a user.
type User struct {
	// ID is the stable subject identifier (the `sub` claim).
	ID string `json:"sub"`
	// Username is the `preferred_username` claim and the value the login page
	// and login_hint use ("alice", "bob").
	Username string `json:"preferred_username"`
	// Name is the display name (`name` claim).
	Name string `json:"name"`
	// GivenName and FamilyName are the `given_name` and `family_name` claims.
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	// Email is the verified e-mail address (`email` claim).
	Email string `json:"email"`
	// Roles are the application roles (`roles` claim), e.g. admin and viewer.
	Roles []string `json:"roles"`
}

// HasRole reports whether the user holds role.
func (u User) HasRole(role string) bool { return slices.Contains(u.Roles, role) }

// demoUsers returns a fresh copy of the built-in users, so no Server can
// change what another one sees.
func demoUsers() []User {
	return []User{
		{
			ID:         "demo-user-alice",
			Username:   "alice",
			Name:       "Alice Anders",
			GivenName:  "Alice",
			FamilyName: "Anders",
			Email:      "alice@demo.pkce-desk.test",
			Roles:      []string{"admin", "viewer"},
		},
		{
			ID:         "demo-user-bob",
			Username:   "bob",
			Name:       "Bob Brown",
			GivenName:  "Bob",
			FamilyName: "Brown",
			Email:      "bob@demo.pkce-desk.test",
			Roles:      []string{"viewer"},
		},
	}
}

// userDirectory looks users up by subject or username.
type userDirectory struct {
	users []User
}

func newUserDirectory() *userDirectory { return &userDirectory{users: demoUsers()} }

// byID returns the user whose subject is id.
func (d *userDirectory) byID(id string) (User, bool) {
	for _, u := range d.users {
		if u.ID == id {
			return u, true
		}
	}
	return User{}, false
}

// byUsername returns the user whose username is name.
func (d *userDirectory) byUsername(name string) (User, bool) {
	for _, u := range d.users {
		if u.Username == name {
			return u, true
		}
	}
	return User{}, false
}

// all returns a deep copy of the users.
func (d *userDirectory) all() []User {
	out := make([]User, len(d.users))
	for i, u := range d.users {
		u.Roles = slices.Clone(u.Roles)
		out[i] = u
	}
	return out
}
