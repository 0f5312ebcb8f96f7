// moto does not implement IAM Access Analyzer: every access-analyzer call here is answered with a
// response shaped as the IAM Access Analyzer API reference documents it (ListAnalyzers,
// GetAnalyzer: AnalyzerSummary with camelCase members; ResourceNotFoundException when unknown).
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESSANALYZER_ANALYZER, makeAnalyzerType, type AnalyzerRef } from '../../../src/resources/accessanalyzer-analyzer.ts';
import { ACCESSANALYZER_ANALYZER_META } from '../../../src/resources/accessanalyzer-analyzer-meta.ts';
import { enabledRegions } from '../../../src/resources/account-regions.ts';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'eu-central-1';
let base: ScanContext;
const arn = (name: string, region = REGION) => `arn:aws:access-analyzer:${region}:${account}:analyzer/${name}`;

const analyzer = (name: string, region = REGION, extra: Record<string, unknown> = {}) => ({
  arn: arn(name, region),
  name,
  type: 'ACCOUNT',
  createdAt: new Date('2026-03-01T10:00:00Z'),
  lastResourceAnalyzed: `arn:aws:s3:::bucket-${name}`,
  lastResourceAnalyzedAt: new Date('2026-12-01T08:00:00Z'),
  status: 'ACTIVE',
  ...extra,
});

/** A region's analyzers as the service would hold them. */
const byRegion: Record<string, ReturnType<typeof analyzer>[]> = {
  [REGION]: [
    analyzer('account-external', REGION, { tags: { team: 'secops' } }),
    analyzer('unused', REGION, { type: 'ACCOUNT_UNUSED_ACCESS', configuration: { unusedAccess: { unusedAccessAge: 90 } } }),
    analyzer('broken', REGION, { status: 'FAILED', statusReason: { code: 'SERVICE_LINKED_ROLE_CREATION_FAILED' } }),
  ],
  'us-east-1': [analyzer('east', 'us-east-1')],
  'eu-west-1': [analyzer('west-disabled', 'eu-west-1', { status: 'DISABLED' })],
};

/** A context whose Access Analyzer clients answer from `byRegion`, by the client's region. */
function documented(ctx: ScanContext, calls: string[] = []): ScanContext {
  const answer = async (cmd: { constructor: { name: string }; input: Record<string, unknown> }, region: string): Promise<unknown> => {
    calls.push(cmd.constructor.name);
    const all = byRegion[region] ?? [];
    if (cmd.constructor.name === 'ListAnalyzersCommand') {
      const from = Number(cmd.input.nextToken ?? 0);
      const to = cmd.input.maxResults ? from + Number(cmd.input.maxResults) : all.length;
      return { analyzers: all.slice(from, to), nextToken: to < all.length ? String(to) : undefined };
    }
    if (cmd.constructor.name === 'GetAnalyzerCommand') {
      const found = all.find((a) => a.name === cmd.input.analyzerName);
      if (!found) throw awsError('ResourceNotFoundException', 'Analyzer not found');
      return { analyzer: found };
    }
    throw new Error(`unexpected ${cmd.constructor.name}`);
  };
  const get = <C,>(c: ClientCtor<C>, region?: string): C => {
    if ((c as unknown) !== AccessAnalyzerClient) return ctx.clients.get(c, region);
    return { send: (cmd: Parameters<typeof answer>[0]) => answer(cmd, region ?? ctx.region) } as unknown as C;
  };
  return { ...ctx, cache: new Map(), clients: { region: ctx.clients.region, get } };
}

beforeAll(async () => {
  base = await scanContext(account, REGION);
});

describe('AWS.AccessAnalyzer.Analyzer', () => {
  it('lists across pages with resolvable refs, and describes from the listing', async () => {
    const calls: string[] = [];
    const ctx = documented(base, calls);
    const type = makeAnalyzerType({ pageSize: 2 });
    const seen: AnalyzerRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(ctx, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.name)).toEqual(['account-external', 'unused', 'broken']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
    for (const ref of seen) expect(await type.describe(ctx, ref)).not.toBeNull();
    expect(calls).toEqual(['ListAnalyzersCommand', 'ListAnalyzersCommand']);
  });

  it('models an analyzer in PascalCase (a rescan asks GetAnalyzer)', async () => {
    const res = (await ACCESSANALYZER_ANALYZER.describe(documented(base), { name: 'account-external' }))!;
    expect(typeKeys(res)).toEqual(ACCESSANALYZER_ANALYZER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('account-external'),
      ResourceType: 'AWS.AccessAnalyzer.Analyzer',
      TimeCreated: '2026-03-01T10:00:00.000Z',
      AccountId: account,
      Region: REGION,
      Arn: arn('account-external'),
      Name: 'account-external',
      Tags: { team: 'secops' },
      Type: 'ACCOUNT',
      Status: 'ACTIVE',
      StatusReason: null,
      Configuration: null,
    });
    expect(res.LastResourceAnalyzedAt).toMatch(RFC3339);
    expect(ACCESSANALYZER_ANALYZER.volatileAttributes).toEqual(['LastResourceAnalyzed', 'LastResourceAnalyzedAt']);
    const unused = (await ACCESSANALYZER_ANALYZER.describe(documented(base), { name: 'unused' }))!;
    expect(unused.Configuration).toMatchObject({ UnusedAccess: { UnusedAccessAge: 90 } });
    expect((await ACCESSANALYZER_ANALYZER.describe(documented(base), { name: 'broken' }))!.StatusReason).toEqual({ Code: 'SERVICE_LINKED_ROLE_CREATION_FAILED' });
  });

  it('reads an endpoint without the service (moto) as holding no analyzer, asking once per region', async () => {
    expect(await ACCESSANALYZER_ANALYZER.list(base)).toEqual({ refs: [] });
    const meta = (await ACCESSANALYZER_ANALYZER_META.describe({ ...base, cache: new Map(), excludeRegions: (await enabledRegions(base)).filter((r) => r !== REGION) }, {}))!;
    expect(meta).toMatchObject({ Analyzers: [], RegionsWithoutAnalyzer: [REGION] });
  });

  it('returns null for a deleted analyzer and lets throttling propagate', async () => {
    expect(await ACCESSANALYZER_ANALYZER.describe(documented(base), { name: 'gone' })).toBeNull();
    const throttled = intercept(base, AccessAnalyzerClient, () => Promise.reject(awsError('ThrottlingException', 'Rate exceeded')));
    // (the throttled context answers before any request reaches moto, which lacks the service)
    await expect(ACCESSANALYZER_ANALYZER.describe(throttled, { name: 'unused' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = ACCESSANALYZER_ANALYZER.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('access-analyzer.amazonaws.com', name, req));
    expect(refs('CreateAnalyzer', { analyzerName: 'a1', type: 'ACCOUNT' })).toEqual([{ name: 'a1' }]);
    expect(ev.DeleteAnalyzer!.action).toBe('delete');
    expect(refs('TagResource', { resourceArn: arn('a2') })).toEqual([{ name: 'a2' }]);
    expect(refs('TagResource', { resourceArn: `arn:aws:access-analyzer:${REGION}:${account}:analyzer/a3/archive-rule/r` })).toEqual([{ name: 'a3' }]);
  });
});

describe('AWS.AccessAnalyzer.Analyzer.Meta', () => {
  it('lists the active analyzers of the scanned regions and the regions without one', async () => {
    const ctx = documented({ ...base, excludeRegions: [] });
    const regions = await enabledRegions(ctx);
    const res = (await ACCESSANALYZER_ANALYZER_META.describe(ctx, {}))!;
    expect(typeKeys(res)).toEqual(ACCESSANALYZER_ANALYZER_META.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({ ResourceId: `${account}::AWS.AccessAnalyzer.Analyzer.Meta`, Region: 'global', Name: 'AWS.AccessAnalyzer.Analyzer.Meta' });
    // Active ones only: the failed analyzer and the disabled one in eu-west-1 do not count.
    expect([...(res.Analyzers as string[])].sort()).toEqual([arn('account-external'), arn('unused'), arn('east', 'us-east-1')].sort());
    expect(res.RegionsWithoutAnalyzer).toEqual(regions.filter((r) => r !== REGION && r !== 'us-east-1'));
    expect(res.RegionsWithoutAnalyzer).toContain('eu-west-1');
    expect(ACCESSANALYZER_ANALYZER_META.events.CreateAnalyzer!.action).toBe('rescan-account');
  });
});
