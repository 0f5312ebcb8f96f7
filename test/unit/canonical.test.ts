import { describe, expect, it } from 'vitest';
import { attributesHash, canonicalJson } from '../../src/core/canonical.ts';
import { classifyError, mapLimit } from '../../src/core/errors.ts';

describe('canonical JSON and the attribute hash', () => {
  it('ignores key order at every depth but not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(attributesHash({ a: 1, b: { c: 2, d: 3 } })).toBe(attributesHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(attributesHash({ a: [1, 2] })).not.toBe(attributesHash({ a: [2, 1] }));
    expect(attributesHash({ a: null })).not.toBe(attributesHash({}));
  });
});

describe('error classification for the scan ledger', () => {
  const err = (name: string, message = '') => Object.assign(new Error(message), { name });
  it.each([
    ['AccessDenied', '', 'ACCESS_DENIED'],
    ['UnauthorizedOperation', '', 'ACCESS_DENIED'],
    ['ThrottlingException', 'Rate exceeded', 'THROTTLED'],
    ['RequestLimitExceeded', '', 'THROTTLED'],
    ['OptInRequired', 'not subscribed', 'REGION_DISABLED'],
    ['InternalError', 'boom', 'ERROR'],
  ])('%s → %s', (name, message, outcome) => {
    expect(classifyError(err(name, message))).toBe(outcome);
  });
});

describe('mapLimit', () => {
  it('keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
