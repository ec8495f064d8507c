import { describe, expect, it } from 'vitest';
import { authUrlOf, groupTimeline, isRestoreStory, lastAuthUrl, pkceFields, stepName } from './trace';
import { event } from '../test/fixtures';

describe('trace helpers', () => {
  it('finds the authorization URL of authorize events only', () => {
    const a = event(1, { step: 'authorize', fields: [{ name: 'client_id', value: 'x', secret: false }, { name: 'url', value: 'https://idp/authorize?a=1', secret: false }] });
    expect(authUrlOf(a)).toBe('https://idp/authorize?a=1');
    const b = event(2, { step: 'authorize', fields: [{ name: 'request', value: 'http://idp/auth?x=2', secret: false }] });
    expect(authUrlOf(b)).toBe('http://idp/auth?x=2');
    const c = event(3, { step: 'authorize', fields: [{ name: 'url', value: 'javascript:alert(1)', secret: false }] });
    expect(authUrlOf(c)).toBe('');
    const d = event(4, { step: 'discovery', fields: [{ name: 'url', value: 'https://idp/authorize?a=1', secret: false }] });
    expect(authUrlOf(d)).toBe('');
    expect(lastAuthUrl([a, d, b])).toBe('http://idp/auth?x=2');
    expect(lastAuthUrl([d])).toBe('');
  });

  it('picks the PKCE pair', () => {
    const p = pkceFields(event(1, { step: 'pkce', fields: [{ name: 'code_challenge_method', value: 'S256', secret: false }, { name: 'code_verifier', value: 'v…', secret: true }, { name: 'code_challenge', value: 'ch', secret: false }] }));
    expect(p.verifier?.name).toBe('code_verifier');
    expect(p.challenge?.value).toBe('ch');
    expect(p.method).toBe('S256');
  });

  it('names steps in words', () => {
    expect(stepName('token_request')).toBe('Token request');
    // The steps of the device, paste-the-redirect and token-exchange flows (auth.Step*).
    expect([stepName('device'), stepName('paste'), stepName('exchange')]).toEqual(['Device code', 'Pasted redirect', 'Token exchange']);
    expect(stepName('something_new')).toBe('something_new');
  });
});

describe('groupTimeline', () => {
  const why = [{ name: 'why', value: 'because', secret: false }];
  it('folds runs of check events per step and keeps the rest', () => {
    const evs = [
      event(0, { step: 'token_response' }),
      event(1, { step: 'id_token', title: 'Signature', fields: why }),
      event(2, { step: 'id_token', title: 'Issuer', fields: why }),
      event(3, { step: 'userinfo' }),
      event(4, { step: 'refresh', title: 'Issuer', fields: why }),
      event(5, { step: 'refresh', title: 'Subject', fields: why }),
      event(6, { step: 'callback', title: 'Callback issuer', fields: why }),
    ];
    const items = groupTimeline(evs);
    expect(items.map((i) => i.kind)).toEqual(['event', 'checks', 'event', 'checks', 'event']);
    const g = items[1];
    expect(g.kind === 'checks' && g.events.map((e) => e.seq)).toEqual([1, 2]);
    const r = items[3];
    expect(r.kind === 'checks' && r.step).toBe('refresh');
    const lone = items[4];
    expect(lone.kind === 'event' && lone.event.seq).toBe(6);
  });
});

describe('isRestoreStory', () => {
  const restoreTrace = [
    event(0, { step: 'discovery', title: 'Found the endpoints' }),
    event(1, { step: 'refresh', title: 'Refreshed the tokens' }),
    event(2, { step: 'done', title: 'session restored from the kept refresh token' }),
  ];
  const signInTrace = [
    event(0, { step: 'discovery' }),
    event(1, { step: 'authorize' }),
    event(2, { step: 'browser', title: 'Opened your browser' }),
    event(3, { step: 'callback' }),
    event(4, { step: 'done', title: 'Signed in' }),
  ];

  it('tells a restore from the done step or the session flag', () => {
    expect(isRestoreStory(restoreTrace, false)).toBe(true);
    expect(isRestoreStory(restoreTrace.slice(0, 2), true)).toBe(true);
  });

  it('never calls a browser sign-in a restore', () => {
    expect(isRestoreStory(signInTrace, true)).toBe(false);
    // a fresh sign-in after a restore: the browser step wins over a stale "restored" title
    expect(isRestoreStory([...restoreTrace, event(3, { step: 'browser' })], true)).toBe(false);
    expect(isRestoreStory(restoreTrace.slice(0, 2), false)).toBe(false);
    expect(isRestoreStory([], true)).toBe(false);
  });
});
