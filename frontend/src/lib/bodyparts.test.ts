import { describe, expect, it, vi } from 'vitest';
import { joinBodyParts, type PartedBody } from './bodyparts';

const parted = (over: Partial<PartedBody>): PartedBody => ({ requestId: 'r1', body: '', prettyBody: '', bodyParts: 0, prettyParts: 0, ...over });

describe('joinBodyParts', () => {
  it('returns a response without parts untouched and fetches nothing', async () => {
    const fetch = vi.fn();
    const r = parted({ body: '{"a":1}', prettyBody: '{\n  "a": 1\n}' });
    expect(await joinBodyParts(r, fetch)).toBe(r);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('fetches every part in order, one call at a time, and joins them', async () => {
    const texts = { body: ['{"items":[', '1,2,', '3]}'], pretty: ['P0', 'P1'] };
    const calls: string[] = [];
    let inFlight = 0;
    const fetch = async (id: string, which: 'body' | 'pretty', i: number) => {
      expect(id).toBe('r1');
      inFlight++;
      expect(inFlight).toBe(1); // never two messages at once
      calls.push(`${which}${i}`);
      await new Promise((res) => setTimeout(res, 1));
      inFlight--;
      return texts[which][i];
    };
    const progress: Array<[number, number]> = [];
    const out = await joinBodyParts(parted({ bodyParts: 3, prettyParts: 2 }), fetch, (a, b) => progress.push([a, b]));
    expect(out.body).toBe('{"items":[1,2,3]}');
    expect(out.prettyBody).toBe('P0P1');
    expect(out.bodyParts).toBe(0);
    expect(out.prettyParts).toBe(0);
    expect(calls).toEqual(['body0', 'body1', 'body2', 'pretty0', 'pretty1']);
    expect(progress).toEqual([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
  });

  it('rejects with Go\'s error when a part is gone', async () => {
    const fetch = async () => {
      throw new Error('the body of request "r1" is no longer kept: send the request again');
    };
    await expect(joinBodyParts(parted({ bodyParts: 2 }), fetch)).rejects.toThrow('send the request again');
  });
});
