import { describe, expect, it } from 'vitest';
import { evaluateAll, expandReply } from '../../src/scan/engine-wire.ts';
import type { Resource } from '../../src/core/resource.ts';

const res = (id: string): Resource => ({ ResourceId: id, ResourceType: 'AWS.S3.Bucket', TimeCreated: null, AccountId: '1', Region: 'us-east-1', Arn: id, Id: null, Name: null, Tags: null });
const policies = { P: { severity: 'High', description: 'd', runbook: 'r', reference: 'ref', destinations: null } };

describe('the engine reply on the wire', () => {
  it("expands compact results with their policy's fixed fields and the sent resource's type", () => {
    const out = expandReply({ policies, results: [{ policyId: 'P', resourceId: 'a', status: 'PASS' }, { policyId: 'P', resourceId: 'b', status: 'FAIL', title: 'bad', severity: 'Critical' }] }, [res('a'), res('b')]);
    expect(out.next).toBeUndefined();
    expect(out.results).toEqual([
      { policyId: 'P', resourceId: 'a', resourceType: 'AWS.S3.Bucket', status: 'PASS', errorMessage: null, severity: 'High', title: null, dedup: null, suppressed: false, alertContext: null, description: 'd', runbook: 'r', reference: 'ref', destinations: null },
      expect.objectContaining({ resourceId: 'b', status: 'FAIL', title: 'bad', severity: 'Critical', description: 'd' }),
    ]);
  });

  it('refuses replies that do not fit the contract, in one line', () => {
    expect(() => expandReply({ results: [] }, [])).toThrow(/^policy engine reply: policies: /);
    expect(() => expandReply({ policies, results: [{ policyId: 'Q', resourceId: 'a', status: 'PASS' }] }, [res('a')])).toThrow(/result of Q without its policy/);
    expect(() => expandReply({ policies, results: [{ policyId: 'P', resourceId: 'z', status: 'PASS' }] }, [res('a')])).toThrow(/result for z, which was not sent/);
    expect(() => expandReply({ policies, results: [], next: 1 }, [res('a')])).toThrow(/next 1 is past the 1 resources sent/);
    expect(() => expandReply({ policies, results: [{ policyId: 'P', resourceId: 'a', status: 'MAYBE' }] }, [res('a')])).toThrow(/results\.0\.status/);
  });

  it('sends again from next until every resource is answered', async () => {
    const sent: string[][] = [];
    const all = await evaluateAll([res('a'), res('b'), res('c')], async (rest) => {
      sent.push(rest.map((r) => r.ResourceId));
      const first = rest[0]!.ResourceId;
      return { policies, results: [{ policyId: 'P', resourceId: first, status: 'PASS' }], ...(rest.length > 1 ? { next: 1 } : {}) };
    });
    expect(sent).toEqual([['a', 'b', 'c'], ['b', 'c'], ['c']]);
    expect(all.map((r) => r.resourceId)).toEqual(['a', 'b', 'c']);
  });

  it('supplies what a retry asks for from the lookup source, once per ID, and sends only that resource again', async () => {
    const sent: { ids: string[]; lookups?: Record<string, unknown> }[] = [];
    const asked: string[][] = [];
    const source = {
      getMany: async (ids: readonly string[]) => {
        asked.push([...ids]);
        return new Map(ids.filter((id) => id !== 'gone').map((id) => [id, res(id)]));
      },
    };
    const all = await evaluateAll(
      [res('a'), res('b'), res('c')],
      async (rest, lookups) => {
        sent.push({ ids: rest.map((r) => r.ResourceId), ...(lookups ? { lookups } : {}) });
        if (!lookups) return { policies, results: [{ policyId: 'P', resourceId: 'a', status: 'PASS' }], retry: [{ index: 1, lookups: ['x', 'gone'] }], next: 2 };
        return { policies, results: rest.map((r) => ({ policyId: 'P', resourceId: r.ResourceId, status: 'PASS' })) };
      },
      source,
    );
    expect(all.map((r) => r.resourceId).sort()).toEqual(['a', 'b', 'c']);
    expect(asked).toEqual([['x', 'gone']]);
    // b comes back with its lookups (absent = null: BadLookup), together with c after the cut.
    expect(sent[1]).toEqual({ ids: ['b', 'c'], lookups: { x: res('x'), gone: null } });
  });

  it('without a lookup source a retry fails the evaluation instead of answering "not found"', async () => {
    await expect(evaluateAll([res('a')], async () => ({ policies, results: [], retry: [{ index: 0, lookups: ['x'] }] }))).rejects.toThrow(/call resource_lookup, but this evaluation has no inventory/);
  });

  it('rejects a retry of a resource the engine did not evaluate', () => {
    expect(() => expandReply({ policies, results: [], next: 1, retry: [{ index: 1, lookups: ['x'] }] }, [res('a'), res('b')])).toThrow(/retry of resource 1, which was not evaluated/);
  });
});
