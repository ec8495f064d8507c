package auth

// EventKind says what an Event is, for code to switch on (a status that
// moves to "exchanging" when the callback arrives, a CLI that prints some
// steps). Event.Message is for people only and may change wording at any
// time; the kinds are the contract. Step groups events on the timeline.
type EventKind string

// Event kinds, in flow order.
const (
	// KindDiscovered: provider metadata fetched, or manual endpoints in use.
	KindDiscovered EventKind = "discovered"
	// KindForeignEndpoints: endpoint overrides leave the issuer (fields name them).
	KindForeignEndpoints EventKind = "foreign_endpoints"
	// KindListenerUp: the loopback receiver listens; field redirect_uri.
	KindListenerUp EventKind = "listener_up"
	// KindListenerNote: a note about the listener (e.g. no IPv6 loopback).
	KindListenerNote EventKind = "listener_note"
	// KindPKCE: a fresh verifier and its S256 challenge.
	KindPKCE EventKind = "pkce"
	// KindAuthorizationURL: the authorization request URL; field url.
	KindAuthorizationURL EventKind = "authorization_url"
	// KindBrowserOpened: the authorization page goes to the system browser
	// (traced just before the opener runs, so it always precedes the callback).
	KindBrowserOpened EventKind = "browser_opened"
	// KindRequestIgnored: a request to another path or with another method.
	KindRequestIgnored EventKind = "request_ignored"
	// KindCallbackIgnored: a forged or unusable callback was refused; field
	// ignored holds the running count.
	KindCallbackIgnored EventKind = "callback_ignored"
	// KindCallbackReceived: the one valid callback with a code arrived.
	KindCallbackReceived EventKind = "callback_received"
	// KindCallbackError: the one valid callback carried an OAuth error.
	KindCallbackError EventKind = "callback_error"
	// KindListenerClosed: the receiver's port is closed; field
	// ignored_callbacks holds the true count of refused callbacks.
	KindListenerClosed EventKind = "listener_closed"
	// KindTokenRequest: the code exchange POST is about to be sent.
	KindTokenRequest EventKind = "token_request"
	// KindTokenResponse: the token response was accepted.
	KindTokenResponse EventKind = "token_response"
	// KindTokenRejected: the token response was refused.
	KindTokenRejected EventKind = "token_rejected"
	// KindScopeGranted: the scope the provider granted.
	KindScopeGranted EventKind = "scope_granted"
	// KindCheck: one validation; Event.Check holds it.
	KindCheck EventKind = "check"
	// KindSignedIn: Login finished; field subject.
	KindSignedIn EventKind = "signed_in"
	// KindRestored: Restore finished; field subject.
	KindRestored EventKind = "restored"
	// KindRefreshRequest: a refresh_token grant is about to be sent.
	KindRefreshRequest EventKind = "refresh_request"
	// KindRefreshResponse: the refresh answer was accepted.
	KindRefreshResponse EventKind = "refresh_response"
	// KindRefreshNote: what happened to the refresh token (kept, rotated) or an ignored ID token.
	KindRefreshNote EventKind = "refresh_note"
	// KindRefreshFailed: the refresh failed or its answer was rejected.
	KindRefreshFailed EventKind = "refresh_failed"
	// KindSessionEnded: the provider rejected the refresh token; signed out.
	KindSessionEnded EventKind = "session_ended"
	// KindRevokeRequest: a revocation request is about to be sent.
	KindRevokeRequest EventKind = "revoke_request"
	// KindRevoked: the provider revoked the token.
	KindRevoked EventKind = "revoked"
	// KindRevokeFailed: revocation failed or was refused.
	KindRevokeFailed EventKind = "revoke_failed"
	// KindSignedOut: the session's tokens were dropped (with or without revocation).
	KindSignedOut EventKind = "signed_out"
	// KindIntrospectRequest: an introspection request is about to be sent.
	KindIntrospectRequest EventKind = "introspect_request"
	// KindIntrospected: the provider answered the introspection.
	KindIntrospected EventKind = "introspected"
	// KindIntrospectFailed: introspection failed or was refused.
	KindIntrospectFailed EventKind = "introspect_failed"
	// KindUserInfoRequest: a userinfo request is about to be sent.
	KindUserInfoRequest EventKind = "userinfo_request"
	// KindUserInfo: userinfo claims received and checked.
	KindUserInfo EventKind = "userinfo"
	// KindUserInfoFailed: the userinfo request failed.
	KindUserInfoFailed EventKind = "userinfo_failed"
	// KindLogoutURL: the RP-initiated logout URL.
	KindLogoutURL EventKind = "logout_url"
	// KindBrowserFailed: the opener could not start the system browser;
	// fields url and error. The sign-in keeps waiting (for the callback, a
	// paste, or the device approval): show the URL with Copy / Open again.
	KindBrowserFailed EventKind = "browser_failed"
	// KindPasteAccepted: a pasted redirect passed the callback checks; a
	// callback_received (or callback_error) with field via=paste follows.
	KindPasteAccepted EventKind = "paste_accepted"
	// KindPasteRefused: a pasted redirect was refused; field reason. The
	// sign-in keeps waiting.
	KindPasteRefused EventKind = "paste_refused"
	// KindDeviceAuthorizationRequest: the device authorization POST
	// (RFC 8628 §3.1) is about to be sent.
	KindDeviceAuthorizationRequest EventKind = "device_authorization_request"
	// KindDeviceCode: the provider issued a user code (RFC 8628 §3.2); fields
	// user_code, verification_uri, verification_uri_complete, expires_in,
	// interval (and device_code, secret).
	KindDeviceCode EventKind = "device_code"
	// KindDevicePending: a poll answered authorization_pending (the first one
	// and then every tenth; field polls counts them).
	KindDevicePending EventKind = "device_pending"
	// KindDeviceSlowDown: a poll answered slow_down; field interval is the
	// new polling interval in seconds (RFC 8628 §3.5).
	KindDeviceSlowDown EventKind = "device_slow_down"
	// KindClientCredentialsRequest: a client_credentials grant (RFC 6749
	// §4.4.2) is about to be sent, at sign-in or to renew the token.
	KindClientCredentialsRequest EventKind = "client_credentials_request"
	// KindTokenExchangeRequest: a token exchange (RFC 8693 §2.1) is about to
	// be sent.
	KindTokenExchangeRequest EventKind = "token_exchange_request"
	// KindTokenExchanged: the token exchange answer was accepted; field
	// issued_token_type.
	KindTokenExchanged EventKind = "token_exchanged"
	// KindError: the operation stopped; Message says why.
	KindError EventKind = "error"
)
