// Test-only stand-in for the Wails bridge (window.go / window.runtime), for
// looking at the UI in a plain browser. Never part of the shipped build:
// mock/serve.mjs injects it into dist/index.html when serving.
//
// URL parameters: status=signed_out|waiting|signed_in|error, tab=flow|tokens|
// requests|profile, theme=light|dark, new=1 (preset picker), present=1,
// send=1 (send a request), expand=1 (open every timeline row).
(function () {
  const q = new URLSearchParams(location.search);
  const status = q.get('status') || 'signed_in';
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString();
  const listeners = {};
  const emit = (name, data) => (listeners[name] || []).forEach((cb) => cb(data));

  const profiles = [
    { id: 'demo', name: 'Demo provider', preset: 'demo', builtIn: true, issuer: 'http://127.0.0.1:53120', endpoints: {}, clientId: 'desk-app', authMethod: 'none', hasClientSecret: false, clientSecret: '', scopes: ['openid', 'profile', 'email', 'offline_access'], params: [], redirectHost: '127.0.0.1', redirectPort: 0, redirectPath: '/callback', timeoutSeconds: 300, caFile: '', keepSignedIn: false, apiBase: 'http://127.0.0.1:53120/api', status },
    { id: 'acme-stg', name: 'Acme staging', preset: 'keycloak', builtIn: false, issuer: 'https://sso.staging.acme.test/realms/main', endpoints: {}, clientId: 'pkce-desk', authMethod: 'client_secret_basic', hasClientSecret: true, clientSecret: '', scopes: ['openid', 'email'], params: [{ key: 'prompt', value: 'login', enabled: true }], redirectHost: '127.0.0.1', redirectPort: 0, redirectPath: '/callback', timeoutSeconds: 300, caFile: '', keepSignedIn: true, apiBase: 'https://api.staging.acme.test', status: 'signed_out' },
    { id: 'acme-prod', name: 'Acme production', preset: 'okta', builtIn: false, issuer: 'https://acme.okta.com', endpoints: {}, clientId: '0oa1b2c3d4', authMethod: 'none', hasClientSecret: false, clientSecret: '', scopes: ['openid'], params: [], redirectHost: '127.0.0.1', redirectPort: 8400, redirectPath: '/callback', timeoutSeconds: 300, caFile: '', keepSignedIn: false, apiBase: '', status: 'signed_out' },
  ];

  const claim = (name, value, meaning, time) => ({ name, value, raw: JSON.stringify(value), meaning, time: time || '' });
  const exp = now + 252_000;
  const iat = now - 48_000;
  const token = (masked, claims, header) => ({ present: true, kind: claims ? 'jwt' : 'opaque', masked, header: header || [], claims: claims || [], rawHeader: header ? JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' }, null, 2) : '', rawClaims: claims ? JSON.stringify(Object.fromEntries(claims.map((c) => [c.name, c.value])), null, 2) : '', expiresAt: claims ? iso(exp) : '', issuedAt: claims ? iso(iat) : '' });
  const header = [claim('alg', 'RS256', 'signed with RSA + SHA-256'), claim('kid', 'demo-2026-11', 'which provider key signed it'), claim('typ', 'JWT', 'token type')];
  const checks = [
    { name: 'signature', ok: true, detail: 'RS256, kid demo-2026-11', why: 'Proves the provider issued this token and nobody changed it.' },
    { name: 'iss', ok: true, detail: 'http://127.0.0.1:53120', why: 'Stops tokens from another provider being accepted.' },
    { name: 'aud', ok: true, detail: 'desk-app', why: 'Stops a token meant for another app being replayed here.' },
    { name: 'exp', ok: true, detail: 'in 4m59s', why: 'Expired tokens must not be used.' },
    { name: 'iat', ok: true, detail: '48 s ago', why: 'Tokens from the far past or future are suspicious.' },
    { name: 'nonce', ok: true, detail: 'matches', why: 'Ties the ID token to this sign-in, so it cannot be replayed.' },
    { name: 'at_hash', ok: true, detail: 'matches', why: 'Binds the access token to this ID token.' },
    { name: 'azp', ok: true, detail: 'absent (single audience)', why: 'Names the app the token was issued to.' },
    { name: 'sub', ok: true, detail: 'alice', why: 'The stable id of the user.' },
  ];
  const signedIn = {
    profileId: 'demo', status: 'signed_in', attempt: 1, subject: 'alice', displayName: 'Alice Liddell', email: 'alice@example.test',
    expiresAt: iso(exp), scopes: ['openid', 'profile', 'email', 'offline_access'], tokenType: 'Bearer',
    accessToken: token('eyJhbG…Xk9w', [claim('iss', 'http://127.0.0.1:53120', 'who issued it'), claim('sub', 'alice', 'the user'), claim('aud', 'http://127.0.0.1:53120/api', 'who may accept it'), claim('exp', exp / 1000, 'expires', iso(exp)), claim('iat', iat / 1000, 'issued', iso(iat)), claim('scope', 'openid profile email offline_access', 'what it allows'), claim('note', '<img src=x onerror=alert(1)>', 'an XSS payload shows as text')], header),
    idToken: token('eyJraW…a1Qz', [claim('iss', 'http://127.0.0.1:53120', 'who issued it'), claim('sub', 'alice', 'the user'), claim('aud', 'desk-app', 'this app'), claim('exp', exp / 1000, 'expires', iso(exp)), claim('iat', iat / 1000, 'issued', iso(iat)), claim('auth_time', (iat - 5000) / 1000, 'when you signed in', iso(iat - 5000)), claim('nonce', 'n-0S6_WzA2Mj', 'ties it to this sign-in'), claim('name', 'Alice Liddell', 'display name'), claim('email', 'alice@example.test', 'email address')], header),
    refreshToken: token('rt_8Zp…Q2mL'),
    userInfo: JSON.stringify({ sub: 'alice', name: 'Alice Liddell', email: 'alice@example.test', email_verified: true, groups: ['admins', 'developers'], address: { country: 'GB', locality: 'Oxford' } }, null, 2),
    checks, refreshes: 1, rotations: 1, ignoredCallbacks: 1, restored: false, error: null,
    capabilities: { refresh: true, revoke: true, introspect: true, userinfo: true, logout: true },
  };
  const empty = { present: false, kind: '', masked: '', header: [], claims: [], rawHeader: '', rawClaims: '', expiresAt: '', issuedAt: '' };
  const signedOut = (id, st) => ({ profileId: id, status: st || 'signed_out', attempt: 0, subject: '', displayName: '', email: '', expiresAt: '', scopes: [], tokenType: '', accessToken: empty, idToken: empty, refreshToken: empty, userInfo: '', checks: [], refreshes: 0, rotations: 0, ignoredCallbacks: 0, restored: false, error: null, capabilities: {} });
  const sessions = {
    demo:
      status === 'signed_in' ? signedIn
      : status === 'error' ? { ...signedOut('demo', 'error'), error: { message: 'The provider rejected the redirect URI. Register http://127.0.0.1/callback for client `desk-app` (any port), then sign in again.', code: 'invalid_request', description: 'redirect_uri not registered', kind: 'provider' } }
      : signedOut('demo', status),
  };

  const authURL = 'http://127.0.0.1:53120/authorize?response_type=code&client_id=desk-app&redirect_uri=http%3A%2F%2F127.0.0.1%3A53111%2Fcallback&scope=openid+profile+email+offline_access&state=Jx7…&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&nonce=n-0S6_WzA2Mj';
  const ev = (seq, offsetMs, step, st, title, detail, fields) => ({ seq, time: iso(now - 60000 + offsetMs), offsetMs, step, status: st, title, detail: detail || '', fields: fields || [] });
  const fullTrace = [
    ev(1, 0, 'discovery', 'ok', 'Found the provider’s endpoints', 'S256 supported ✓ · iss in responses ✓', [{ name: 'issuer', value: 'http://127.0.0.1:53120' }, { name: 'authorization_endpoint', value: 'http://127.0.0.1:53120/authorize' }, { name: 'token_endpoint', value: 'http://127.0.0.1:53120/token' }]),
    ev(2, 14, 'listener', 'ok', 'Listening on http://127.0.0.1:53111/callback', 'Only this app can receive the browser’s answer (RFC 8252 §7.3).', [{ name: 'redirect_uri', value: 'http://127.0.0.1:53111/callback' }]),
    ev(3, 15, 'pkce', 'ok', 'Made a fresh PKCE pair', '', [{ name: 'code_verifier', value: 'dBjftJ…xyzA', secret: true }, { name: 'code_challenge', value: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' }, { name: 'code_challenge_method', value: 'S256' }]),
    ev(4, 17, 'authorize', 'ok', 'Opened the authorization request in your browser', '', [{ name: 'url', value: authURL }]),
    ev(5, 2210, 'callback', 'warn', 'Ignored a response that wasn’t from this attempt (state mismatch)', 'Someone or something sent a callback with the wrong state. It was ignored (RFC 6749 §10.12).', [{ name: 'reason', value: 'state mismatch <img src=x onerror=alert(1)>' }]),
    ev(6, 5320, 'callback', 'ok', 'Callback received: code with matching state, iss ✓', '', [{ name: 'code', value: 'SplxlO…3Bzw', secret: true }, { name: 'state', value: 'matches' }, { name: 'iss', value: 'matches' }]),
    ev(7, 5330, 'token_request', 'ok', 'Sent the code and verifier to the token endpoint', '', [{ name: 'grant_type', value: 'authorization_code' }, { name: 'code_verifier', value: 'dBjftJ…xyzA', secret: true }]),
    ev(8, 5398, 'token_response', 'ok', 'HTTP 200: got access, ID and refresh tokens', '', [{ name: 'status', value: '200' }, { name: 'token_type', value: 'Bearer' }, { name: 'expires_in', value: '300' }]),
    ...checks.map((c, i) => ev(9 + i, 5402 + i, 'id_token', c.ok ? 'ok' : 'fail', c.name, c.detail, [{ name: 'why', value: c.why }])),
    ev(9 + checks.length, 5460, 'userinfo', 'ok', 'Fetched UserInfo', '', [{ name: 'sub', value: 'alice' }]),
  ];
  const traces = { demo: status === 'signed_in' ? fullTrace : status === 'waiting' ? fullTrace.slice(0, 5) : status === 'error' ? [...fullTrace.slice(0, 4), ev(5, 2200, 'error', 'fail', 'The provider rejected the redirect URI', 'Register http://127.0.0.1/callback for client desk-app (any port), then sign in again.', [{ name: 'error', value: 'invalid_request' }])] : [] };

  const history = [
    { id: 'h2', time: iso(now - 120000), method: 'GET', url: 'http://127.0.0.1:53120/api/me', status: 200, durationMs: 12.4, size: 214, spec: { method: 'GET', url: 'http://127.0.0.1:53120/api/me', params: [], headers: [], bodyType: 'none', body: '', form: [], attachToken: true } },
    { id: 'h1', time: iso(now - 900000), method: 'POST', url: 'http://127.0.0.1:53120/api/echo?x=1', status: 401, durationMs: 8.1, size: 90, spec: { method: 'POST', url: 'http://127.0.0.1:53120/api/echo?x=1', params: [], headers: [{ key: 'X-Trace', value: '1', enabled: true }], bodyType: 'json', body: '{"a":1}', form: [], attachToken: true } },
  ];
  const body = JSON.stringify({ sub: 'alice', name: 'Alice Liddell', id: 12345678901234567890, roles: ['admin', 'dev'], html: '<img src=x onerror=alert(1)>', profile: { team: 'platform', manager: null, active: true, tags: { a: 1, b: [1, 2, 3] } } }, null, 2).replace('12345678901234567000', '12345678901234567890');

  const later = (v, ms) => new Promise((r) => setTimeout(() => r(v), ms || 5));
  const App = {
    Info: () => later({ name: 'PKCE Desk', version: '0.1.0-dev', goVersion: 'go1.26.8', platform: 'linux/amd64', configDir: '/home/alice/.config/pkce-desk', keychainPersistent: false, notices: [{ level: 'warn', message: 'No OS keychain answered: secrets stay in memory until you quit.' }] }),
    Profiles: () => later(profiles),
    SelectedProfile: () => later('demo'),
    SelectProfile: () => later(null),
    Presets: () => later([
      { id: 'demo', name: 'Built-in demo', needs: [], notes: ['Runs on 127.0.0.1 inside PKCE Desk.'], profile: profiles[0] },
      { id: 'keycloak', name: 'Keycloak', needs: ['realm URL', 'client ID'], notes: ['Create a public client with "Standard flow" on.', 'Valid redirect URI: http://127.0.0.1/*'], profile: profiles[1] },
      { id: 'okta', name: 'Okta', needs: ['Okta domain', 'client ID'], notes: ['Create a Native app integration.'], profile: profiles[2] },
      { id: 'entra', name: 'Microsoft Entra ID', needs: ['tenant', 'client ID'], notes: ['Add a "Mobile and desktop" platform with http://localhost.'], profile: profiles[2] },
      { id: 'google', name: 'Google', needs: ['client ID', 'client secret'], notes: [], profile: profiles[2] },
      { id: 'oauth2', name: 'Plain OAuth 2.0', needs: ['endpoints', 'client ID'], notes: [], profile: profiles[2] },
    ]),
    NewProfile: (id) => later({ ...profiles[1], id: '', name: 'New Keycloak profile', preset: id, hasClientSecret: false, status: 'signed_out' }),
    ValidateProfile: (p) => later(p.clientId ? [] : [{ field: 'clientId', message: 'Enter the client ID your provider gave you.' }]),
    SaveProfile: (p) => later({ profile: { ...p, id: p.id || 'new1' }, errors: [] }),
    DeleteProfile: () => later(null),
    DuplicateProfile: (id) => later({ ...profiles.find((p) => p.id === id), id: 'copy', name: 'Copy' }),
    RedirectURI: (p) => later(`http://${p.redirectHost === '::1' ? '[::1]' : p.redirectHost}${p.redirectPort ? ':' + p.redirectPort : ''}${p.redirectPath}`),
    Discover: () => later({ issuer: 'http://127.0.0.1:53120', endpoints: { authorization: 'http://127.0.0.1:53120/authorize', token: 'http://127.0.0.1:53120/token' }, scopesSupported: ['openid', 'profile', 'email', 'offline_access', 'groups'], s256: true, issParameterSupported: true, grantTypes: ['authorization_code', 'refresh_token'], authMethods: ['none', 'client_secret_basic'] }, 200),
    ExportProfiles: () => later('/home/alice/profiles.json'),
    ImportProfiles: () => later({ path: '/home/alice/profiles.json', items: [{ name: 'Acme', importedId: 'x', problems: [] }] }),
    SignIn: (id) => new Promise(() => { sessions[id] = signedOut(id, 'waiting'); emit('session', sessions[id]); fullTrace.slice(0, 4).forEach((e, i) => setTimeout(() => emit('trace', { profileId: id, event: e }), 50 * i)); }),
    SignInAsAnotherUser: (id) => App.SignIn(id),
    CancelSignIn: (id) => { sessions[id] = signedOut(id); emit('session', sessions[id]); return later(null); },
    SignOut: (id) => { sessions[id] = signedOut(id); emit('session', sessions[id]); return later({ revoked: true, loggedOutAtIdp: true, secretsDeleted: true, message: 'Signed out: tokens revoked at the provider.' }); },
    Session: (id) => later(sessions[id] || signedOut(id)),
    Trace: (id) => later(traces[id] || []),
    RevealTraceField: () => later('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
    ExportTrace: () => later('# Sign-in'),
    RevealToken: () => later('eyJhbGciOiJSUzI1NiIsImtpZCI6ImRlbW8ifQ.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtWGs5dw'),
    Refresh: (id) => later(sessions[id]),
    Revoke: (id) => later(sessions[id]),
    Introspect: () => later(JSON.stringify({ active: true, scope: 'openid profile', client_id: 'desk-app', sub: 'alice', exp: Math.floor(exp / 1000) }, null, 2)),
    UserInfo: (id) => later(sessions[id]),
    Send: (spec) => later({ requestId: spec.id, status: 200, statusText: 'OK', proto: 'HTTP/1.1', headers: [{ key: 'Content-Type', value: 'application/json' }, { key: 'X-Evil', value: '<img src=x onerror=alert(1)>' }], bodyKind: 'json', body, prettyBody: body, hexBody: '', size: body.length, totalSize: body.length, truncated: false, timings: { dnsMs: -1, connectMs: 0.4, tlsMs: -1, firstByteMs: 9.8, totalMs: 12.4 }, notices: [], error: null, needsInsecureConsent: false }, 150),
    CancelSend: () => later(null),
    History: () => later(history),
    ClearHistory: () => later(null),
    Curl: () => later('curl -H "Authorization: Bearer eyJhbG…Xk9w" http://127.0.0.1:53120/api/me'),
    Settings: () => later({ presentationMode: q.get('present') === '1', theme: q.get('theme') || 'system' }),
    SaveSettings: () => later(null),
    OpenInBrowser: (u) => { console.log('open', u); return later(null); },
  };
  window.go = { main: { App } };
  window.runtime = {
    EventsOnMultiple: (name, cb) => { (listeners[name] = listeners[name] || []).push(cb); return () => { listeners[name] = listeners[name].filter((x) => x !== cb); }; },
    EventsOff: () => {},
    ClipboardSetText: () => Promise.resolve(true),
    BrowserOpenURL: () => {},
  };
  window.__mockEmit = emit;

  // Drive the UI to the requested screen once it has rendered.
  const click = (sel) => document.querySelector(sel)?.click();
  window.addEventListener('load', () => {
    setTimeout(() => {
      if (q.get('new') === '1') click('[data-testid=new-profile-button]');
      if (q.get('tab')) click(`[data-testid=tab-${q.get('tab')}]`);
      setTimeout(() => {
        if (q.get('send') === '1') click('[data-testid=send-button]');
        if (q.get('expand') === '1') document.querySelectorAll('[data-testid=timeline-event] .head[aria-expanded=false]').forEach((b) => b.click());
        if (q.get('preset')) click(`[data-testid=preset-${q.get('preset')}]`);
        if (q.get('discover') === '1') setTimeout(() => click('[data-testid=discover-button]'), 100);
      }, 150);
    }, 150);
  });
})();
