/**
 * `posture accounts verify` on the demo's own accounts passes: the demo seeds the member rules in
 * the regions it scans and onboards its members with every other region excluded, and verify
 * checks the rules only in the account's scanned regions of its own partition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsVerify } from '../../src/cli/commands/accounts.ts';
import { seedAndOnboard } from '../../src/cli/demo.ts';
import { resolveTarget, type Target } from '../../src/cli/target.ts';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime.ts';
import { DEMO_MEMBERS, DEMO_REGIONS } from '../../src/local/seed.ts';

let rt: LocalRuntime;
let target: Target;

beforeAll(async () => {
  rt = await startLocalRuntime();
  await seedAndOnboard(rt);
  target = await resolveTarget({ endpoint: rt.endpoint });
}, 120_000);
afterAll(() => rt?.close());

describe('accounts verify on the demo organization', () => {
  it.each(DEMO_MEMBERS.map((m) => [m.name, m.accountId]))('passes for %s (%s), checking the rules in the demo regions only', async (_name, id) => {
    const lines: string[] = [];
    const r = await accountsVerify({ target, endpoint: rt.endpoint, ledger: target.ledger, io: { out: (l) => lines.push(l), err: (l) => lines.push(l) } }, { id, canaryTimeoutMs: 30_000 });
    expect(r.checks.filter((c) => c.status === 'fail'), lines.join('\n')).toEqual([]);
    expect(r.code).toBe(0);
    const ruleRegions = r.checks.filter((c) => c.name.startsWith('event rules ')).map((c) => c.name.slice('event rules '.length));
    expect(ruleRegions.sort()).toEqual([...DEMO_REGIONS].sort());
    expect(r.checks.filter((c) => c.name.startsWith('canary ') && c.status === 'pass')).toHaveLength(DEMO_REGIONS.length);
    expect(lines.at(-1)).toBe(`account ${id}: verified`);
  }, 120_000);
});
