/** Scopes run several at a time, and a type that looks others up waits for them in its account. */
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../src/core/types.ts';
import { REGISTRY } from '../../src/resources/index.ts';
import { runScopes } from '../../src/scan/scope-order.ts';

const scope = (accountId: string, resourceType: string, region = 'global'): Scope => ({ accountId, region, resourceType });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('runScopes', () => {
  it("starts an IAM user scope only after its account's groups and policies are stored, other scopes alongside", async () => {
    const scopes = [scope('111111111111', 'AWS.IAM.User'), scope('111111111111', 'AWS.IAM.Group'), scope('222222222222', 'AWS.IAM.User'), scope('111111111111', 'AWS.IAM.Policy'), scope('111111111111', 'AWS.S3.Bucket')];
    const events: string[] = [];
    let inFlight = 0;
    let most = 0;
    await runScopes(scopes, REGISTRY, 4, async (s) => {
      inFlight++;
      most = Math.max(most, inFlight);
      events.push(`start ${s.accountId} ${s.resourceType}`);
      await tick();
      events.push(`end ${s.accountId} ${s.resourceType}`);
      inFlight--;
    });
    const at = (e: string) => events.indexOf(e);
    expect(events).toHaveLength(10);
    expect(at('start 111111111111 AWS.IAM.User')).toBeGreaterThan(at('end 111111111111 AWS.IAM.Group'));
    expect(at('start 111111111111 AWS.IAM.User')).toBeGreaterThan(at('end 111111111111 AWS.IAM.Policy'));
    // Account 2 has no groups or policies in this scan: its users do not wait for account 1's.
    expect(at('start 222222222222 AWS.IAM.User')).toBeLessThan(at('end 111111111111 AWS.IAM.Group'));
    // Four slots: the three scopes with nothing to wait for and account 2's users at once.
    expect(most).toBe(4);
    expect(at('start 222222222222 AWS.IAM.User')).toBeLessThan(at('end 111111111111 AWS.IAM.Policy'));
  });

  it('a failed dependency still releases the scopes waiting on it (the lookup then reports what is missing)', async () => {
    const ran: string[] = [];
    const out = runScopes([scope('111111111111', 'AWS.IAM.Group'), scope('111111111111', 'AWS.IAM.User')], REGISTRY, 2, async (s) => {
      ran.push(s.resourceType);
      if (s.resourceType === 'AWS.IAM.Group') throw new Error('ListGroups denied');
    });
    await expect(out).rejects.toThrow('ListGroups denied');
    expect(ran).toEqual(['AWS.IAM.Group', 'AWS.IAM.User']);
  });
});
