import { afterEach, describe, expect, it } from 'vitest';
import { api, ApiError, copyText, onSession, onTrace, onNotice, onProfiles, available } from './api';
import { installBridge, removeBridge } from '../test/bridge';

afterEach(removeBridge);

describe('api wrapper', () => {
  it('calls the Go binding with the arguments given', async () => {
    const b = installBridge({ RevealTraceField: () => 'the-verifier' });
    await expect(api.revealTraceField('p1', 7, 'code_verifier')).resolves.toBe('the-verifier');
    expect(b.callsTo('RevealTraceField')).toEqual([['p1', 7, 'code_verifier']]);
  });

  it("turns Go's string rejection into an ApiError with Go's message", async () => {
    installBridge({
      SignIn: () => Promise.reject('No answer from the browser after 5 minutes.'),
    });
    const err = await api.signIn('p1').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('No answer from the browser after 5 minutes.');
    expect(err.method).toBe('SignIn');
  });

  it('rejects with an ApiError when the bridge is missing', async () => {
    removeBridge();
    expect(available()).toBe(false);
    await expect(api.profiles()).rejects.toBeInstanceOf(ApiError);
  });

  it('fills the lists Go sends as null', async () => {
    installBridge({
      Session: () => ({ profileId: 'p1', status: 'signed_in', scopes: null, checks: null, accessToken: { present: true, header: null, claims: null }, idToken: null, refreshToken: null, capabilities: null }),
      Profiles: () => [{ id: 'a', scopes: null, params: null, endpoints: null }],
      Send: () => ({ status: 200, headers: null, notices: null, timings: null }),
    });
    const s = await api.session('p1');
    expect(s.scopes).toEqual([]);
    expect(s.checks).toEqual([]);
    expect(s.accessToken.claims).toEqual([]);
    expect(s.idToken.present).toBe(false);
    const [p] = await api.profiles();
    expect(p.scopes).toEqual([]);
    expect(p.endpoints.token).toBe('');
    const r = await api.send({} as never);
    expect(r.headers).toEqual([]);
    expect(r.timings.totalMs).toBe(-1);
  });

  it('fills the foreign-endpoint lists, error origins and import notes Go sends as null', async () => {
    installBridge({
      Profiles: () => [{ id: 'a', endpoints: null, foreignEndpoints: null, trustedOrigins: null }],
      Session: () => ({ profileId: 'a', status: 'error', error: { message: 'm', kind: 'foreign_endpoints', origins: null } }),
      ImportProfiles: () => ({ path: '/x.json', items: [{ name: 'n', importedId: 'i', problems: null, notes: null }] }),
      TrustEndpointOrigins: () => ({ id: 'a', foreignEndpoints: null, trustedOrigins: ['https://p.test'] }),
      ReservedParams: () => null,
    });
    const [p] = await api.profiles();
    expect(p.foreignEndpoints).toEqual([]);
    expect(p.trustedOrigins).toEqual([]);
    expect((await api.session('a')).error?.origins).toEqual([]);
    expect((await api.importProfiles()).items[0].notes).toEqual([]);
    expect((await api.trustEndpointOrigins('a', ['https://p.test'])).trustedOrigins).toEqual(['https://p.test']);
    expect(await api.reservedParams()).toEqual([]);
  });

  it('subscribes to Go events and normalizes their payloads', () => {
    const b = installBridge();
    const traces: unknown[] = [];
    const sessions: unknown[] = [];
    const notices: unknown[] = [];
    let reloads = 0;
    const offs = [
      onTrace((u) => traces.push(u)),
      onSession((s) => sessions.push(s)),
      onNotice((n) => notices.push(n)),
      onProfiles(() => reloads++),
    ];
    b.emit('trace', { profileId: 'p1', event: { seq: 1, title: 't', fields: null } });
    b.emit('session', { profileId: 'p1', status: 'waiting' });
    b.emit('notice', { level: 'warn', message: 'No keychain' });
    b.emit('profiles');
    expect(traces).toEqual([{ profileId: 'p1', event: { seq: 1, title: 't', fields: [] } }]);
    expect((sessions[0] as { status: string }).status).toBe('waiting');
    expect(notices).toEqual([{ level: 'warn', message: 'No keychain' }]);
    expect(reloads).toBe(1);
    offs.forEach((off) => off());
    b.emit('profiles');
    expect(reloads).toBe(1);
  });

  it('copies through the Wails clipboard', async () => {
    const b = installBridge();
    await copyText('curl -H x');
    expect(b.clipboard).toEqual(['curl -H x']);
  });
});
