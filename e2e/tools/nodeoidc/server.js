// node-oidc-provider (npm oidc-provider, the OpenID-certified Node OP) for
// PKCE Desk's real-provider tests (e2e/harness/nodeoidc.go starts it).
//
// It listens on 127.0.0.1 only, on $PORT (default 0: a free port), with the
// issuer http://127.0.0.1:PORT, and prints one JSON line on stdout once it
// accepts connections:
//
//   {"issuer": "...", "native_client_id": "...", "service_client_id": "...",
//    "service_client_secret": "...", "resource": "...", "jwt_resource": "..."}
//
// Signing keys (RS256 and ES256), the cookie keys and the service client's
// secret are generated at every start and never written anywhere. Nothing
// is persisted: the default in-memory adapter.
//
// Clients:
//   - pkce-desk-native: application_type native, token_endpoint_auth_method
//     none (public), grants authorization_code, refresh_token and
//     urn:ietf:params:oauth:grant-type:device_code; redirect URIs
//     http://127.0.0.1/callback and http://[::1]/callback (a native client's
//     loopback redirect matches on any port, RFC 8252 §7.3). PKCE S256 is
//     required (S256 is the only method offered).
//   - pkce-desk-service: confidential, client_secret_basic, the
//     client_credentials grant only, scopes api:read api:write.
//
// Features: devInteractions (a plain login form, fields login and password,
// any values, then a consent form), deviceFlow (RFC 8628), clientCredentials,
// introspection (RFC 7662), revocation (RFC 7009), resourceIndicators
// (RFC 8707: the resources in "resource" (opaque tokens) and "jwt_resource"
// (JWT access tokens, RFC 9068)), rpInitiatedLogout, and for later issues
// registration, pushedAuthorizationRequests (not required), dPoP and
// requestObjects; mTLS stays off. Refresh tokens are issued to every client
// allowed the refresh_token grant, so offline_access needs no prompt=consent.
//
// Environment: PORT (default 0), DEVICE_INTERVAL (seconds between device
// polls the provider asks for, default 5; RFC 8628 §3.2), SLOW_DOWN_FIRST
// (answer slow_down to the first N polls of each device code, default 0;
// see devicePolling), DEVICE_TTL (device code lifetime in seconds, default
// 600), ACCESS_TTL (seconds, default 3600).
//
// Node 20 makes oidc-provider print an "unsupported runtime" warning on
// stderr: it works all the same.
import crypto from 'node:crypto';
import http from 'node:http';
import process from 'node:process';

import Provider, { errors } from 'oidc-provider';

const NATIVE_CLIENT_ID = 'pkce-desk-native';
const SERVICE_CLIENT_ID = 'pkce-desk-service';
const RESOURCE = 'urn:pkce-desk:api';
const JWT_RESOURCE = 'urn:pkce-desk:jwt-api';
const RESOURCE_SCOPES = 'api:read api:write';

function intEnv(name, def) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number.parseInt(raw, 10);
  if (!Number.isInteger(n) || n < 0 || String(n) !== raw.trim()) {
    throw new Error(`${name}=${raw} is not a non-negative integer`);
  }
  return n;
}

const port = intEnv('PORT', 0);
const deviceInterval = intEnv('DEVICE_INTERVAL', 5);
const deviceTTL = intEnv('DEVICE_TTL', 600);
const accessTTL = intEnv('ACCESS_TTL', 3600);

// signingKeys makes one RSA and one P-256 key as private JWKs.
function signingKeys() {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [
    { ...rsa, kid: crypto.randomUUID(), use: 'sig', alg: 'RS256' },
    { ...ec, kid: crypto.randomUUID(), use: 'sig', alg: 'ES256' },
  ];
}

const serviceSecret = crypto.randomBytes(32).toString('base64url');

// The one kind of account: any login name the form is given becomes the
// subject, with an email under example.test.
async function findAccount(_ctx, sub) {
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        email: `${sub}@example.test`,
        email_verified: true,
        name: `Test ${sub}`,
        preferred_username: sub,
      };
    },
  };
}

function configuration() {
  return {
    clients: [
      {
        client_id: NATIVE_CLIENT_ID,
        client_name: 'PKCE Desk (e2e native)',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
        post_logout_redirect_uris: ['http://127.0.0.1/logged-out', 'http://[::1]/logged-out'],
      },
      {
        client_id: SERVICE_CLIENT_ID,
        client_name: 'PKCE Desk (e2e service)',
        client_secret: serviceSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: RESOURCE_SCOPES,
      },
    ],
    jwks: { keys: signingKeys() },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    findAccount,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'api:read', 'api:write'],
    pkce: { required: () => true },
    // A refresh token for every client allowed the grant: without this
    // offline_access is dropped from a code-flow request that does not also
    // send prompt=consent (OIDC Core §11).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: accessTTL,
      ClientCredentials: accessTTL,
      DeviceCode: deviceTTL,
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      registration: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      dPoP: { enabled: true },
      requestObjects: { enabled: true },
      mTLS: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator === RESOURCE || indicator === JWT_RESOURCE) {
            return {
              scope: RESOURCE_SCOPES,
              audience: indicator,
              accessTokenTTL: accessTTL,
              accessTokenFormat: indicator === JWT_RESOURCE ? 'jwt' : 'opaque',
              ...(indicator === JWT_RESOURCE ? { jwt: { sign: { alg: 'RS256' } } } : {}),
            };
          }
          throw new errors.InvalidTarget(`unknown resource ${indicator}`);
        },
      },
    },
  };
}

const server = http.createServer();
server.requestTimeout = 30_000;
server.headersTimeout = 10_000;

server.on('error', (err) => {
  console.error(`nodeoidc: ${err.message}`);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  const bound = server.address().port;
  const issuer = `http://127.0.0.1:${bound}`;
  const provider = new Provider(issuer, configuration());
  provider.use(devicePolling());
  provider.on('server_error', (_ctx, err) => console.error('nodeoidc server_error:', err));
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({
    issuer,
    native_client_id: NATIVE_CLIENT_ID,
    service_client_id: SERVICE_CLIENT_ID,
    service_client_secret: serviceSecret,
    resource: RESOURCE,
    jwt_resource: JWT_RESOURCE,
    resource_scopes: RESOURCE_SCOPES,
    device_interval: deviceInterval,
  })}\n`);
});

// devicePolling is the one piece of the device flow this wrapper adds to
// oidc-provider, which sends no "interval" (so clients use RFC 8628's
// default of 5 s) and never answers slow_down: the device authorization
// response gains "interval": DEVICE_INTERVAL, and a poll of a pending device
// code sooner than that after the previous one is answered slow_down (RFC
// 8628 §3.5), as is each of the first SLOW_DOWN_FIRST polls of every device
// code (default 0), so a test can see a client honour it. The interval a
// slow_down asks for is the client's to add (+5 s); the wrapper then
// expects polls that far apart.
function devicePolling() {
  const forced = intEnv('SLOW_DOWN_FIRST', 0);
  const polls = new Map(); // device code -> { last: ms, count, interval: ms }
  return async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'device_authorization' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      ctx.body = { ...ctx.body, interval: deviceInterval };
      return;
    }
    if (route !== 'token' || ctx.body?.error !== 'authorization_pending') return;
    const code = ctx.oidc.params?.device_code;
    if (!code) return;
    const now = Date.now();
    const p = polls.get(code) ?? { last: 0, count: 0, interval: deviceInterval * 1000 };
    p.count += 1;
    const early = p.last !== 0 && now - p.last < p.interval - 50;
    p.last = now;
    if (polls.size > 1000) polls.clear();
    polls.set(code, p);
    if (early || p.count <= forced) {
      p.interval += 5000;
      ctx.body = { error: 'slow_down', error_description: early ? 'polled sooner than the interval' : 'SLOW_DOWN_FIRST' };
    }
  };
}

function shutdown(signal) {
  console.error(`nodeoidc: ${signal}, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
