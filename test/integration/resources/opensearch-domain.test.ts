import { CreateDomainCommand, DeleteDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLegacySearchDomain, createSearchDomain } from '../../../src/local/estate/coverage-apps.ts';
import { makeOpenSearchDomainType, OPENSEARCH_DOMAIN } from '../../../src/resources/opensearch-domain.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-2';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:es:${REGION}:${account}:domain/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createSearchDomain(ctx.clients, { logGroupArn: `arn:aws:logs:${REGION}:${account}:log-group:/aws/opensearch/search` });
  await createLegacySearchDomain(ctx.clients);
  await ctx.clients.get(OpenSearchClient).send(new CreateDomainCommand({ DomainName: 'third', EngineVersion: 'OpenSearch_2.13' }));
});

describe('AWS.OpenSearch.Domain', () => {
  it('lists across pages with resolvable refs', async () => {
    const { refs, pages } = await listAll(makeOpenSearchDomainType({ pageSize: 2 }), ctx);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.name)).toEqual(['legacy-search', 'search', 'third']);
    for (const ref of refs) expect(OPENSEARCH_DOMAIN.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a hardened domain', async () => {
    const res = (await OPENSEARCH_DOMAIN.describe(ctx, { name: 'search' }))!;
    expectDocumentedKeys(res, OPENSEARCH_DOMAIN.attributes);
    expect(res).toMatchObject({
      ResourceId: arn('search'),
      ResourceType: 'AWS.OpenSearch.Domain',
      Arn: arn('search'),
      ARN: arn('search'),
      Name: 'search',
      Id: `${account}/search`,
      Region: REGION,
      AccountId: account,
      Tags: { team: 'search' },
      EngineVersion: 'OpenSearch_2.13',
      ClusterConfig: expect.objectContaining({ InstanceCount: 3, DedicatedMasterEnabled: true, DedicatedMasterCount: 3, ZoneAwarenessEnabled: true }),
      EncryptionAtRestOptions: expect.objectContaining({ Enabled: true }),
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: expect.objectContaining({ EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' }),
      AdvancedSecurityOptions: expect.objectContaining({ Enabled: true }),
      LogPublishingOptions: {
        ES_APPLICATION_LOGS: { CloudWatchLogsLogGroupArn: expect.stringContaining(':log-group:'), Enabled: true },
        AUDIT_LOGS: { CloudWatchLogsLogGroupArn: expect.stringContaining(':log-group:'), Enabled: true },
      },
    });
  });

  it('models a bare domain with nulls', async () => {
    const res = (await OPENSEARCH_DOMAIN.describe(ctx, { name: 'legacy-search' }))!;
    expectDocumentedKeys(res, OPENSEARCH_DOMAIN.attributes);
    expect(res).toMatchObject({ Tags: null, EngineVersion: 'Elasticsearch_7.10', VPCOptions: null, AccessPolicies: null });
    expect((res.EncryptionAtRestOptions as { Enabled?: boolean } | null)?.Enabled ?? false).toBe(false);
  });

  it('returns null for a deleted domain and lets other errors propagate', async () => {
    const os = ctx.clients.get(OpenSearchClient);
    await os.send(new CreateDomainCommand({ DomainName: 'gone' }));
    await os.send(new DeleteDomainCommand({ DomainName: 'gone' }));
    expect(await OPENSEARCH_DOMAIN.describe(ctx, { name: 'gone' })).toBeNull();
    // Deleted between DescribeDomain and ListTags.
    const between = intercept(ctx, OpenSearchClient, (cmd) =>
      cmd.constructor.name === 'ListTagsCommand' ? Promise.reject(awsError('ResourceNotFoundException', 'Domain not found')) : undefined,
    );
    expect(await OPENSEARCH_DOMAIN.describe(between, { name: 'third' })).toBeNull();
    const denied = intercept(ctx, OpenSearchClient, (cmd) =>
      cmd.constructor.name === 'ListTagsCommand' ? Promise.reject(awsError('AccessDeniedException', 'not allowed')) : undefined,
    );
    await expect(OPENSEARCH_DOMAIN.describe(denied, { name: 'third' })).rejects.toThrow('not allowed');
  });

  it('maps CloudTrail events to refs, settling new domains', () => {
    const ev = OPENSEARCH_DOMAIN.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('es.amazonaws.com', name, req, res));
    expect(refs('CreateDomain', { domainName: 'd1', engineVersion: 'OpenSearch_2.13' }, { domainStatus: { domainName: 'd1' } })).toEqual([{ name: 'd1' }]);
    expect(ev.CreateDomain!.settleSeconds).toBe(60);
    expect(ev.DeleteDomain!.action).toBe('delete');
    expect(refs('DeleteElasticsearchDomain', { domainName: 'd2' })).toEqual([{ name: 'd2' }]);
    expect(refs('UpdateDomainConfig', { domainName: 'd3', nodeToNodeEncryptionOptions: { enabled: true } })).toEqual([{ name: 'd3' }]);
    expect(refs('AddTags', { aRN: arn('d4'), tagList: [] })).toEqual([{ name: 'd4' }]);
    expect(refs('RemoveTags', { arn: arn('d5'), tagKeys: ['a'] })).toEqual([{ name: 'd5' }]);
    expect(refs('AddTags', { arn: 'arn:aws:es:eu-west-2:1:application/x' })).toEqual([]);
  });
});
