import { CreateDBSnapshotCommand, DeleteDBSnapshotCommand, RDSClient } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBillingSnapshots } from '../../../src/local/estate/coverage-infra.ts';
import { makeRdsSnapshotType, RDS_SNAPSHOT, type DbSnapshotRef } from '../../../src/resources/rds-snapshot.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { pagedBy } from '../../helpers/paging.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;

const arn = (id: string) => `arn:aws:rds:${REGION}:${account}:snapshot:${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createBillingSnapshots(ctx.clients);
});

describe('AWS.RDS.Snapshot', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeRdsSnapshotType({ pageSize: 2 });
    // moto answers DescribeDBSnapshots in one page: paged here as RDS pages it.
    const paged = pagedBy(ctx, RDSClient, { command: 'DescribeDBSnapshotsCommand', items: 'DBSnapshots', size: 'MaxRecords', tokenIn: 'Marker' });
    const seen: DbSnapshotRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(paged, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.map((r) => r.id)).toEqual(expect.arrayContaining(['billing-nightly', 'billing-export', 'legacy-final']));
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a private manual snapshot', async () => {
    const res = (await RDS_SNAPSHOT.describe(await scanContext(account, REGION), { id: 'billing-nightly' }))!;
    expect(typeKeys(res)).toEqual(RDS_SNAPSHOT.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('billing-nightly'),
      ResourceType: 'AWS.RDS.Snapshot',
      AccountId: account,
      Region: REGION,
      Arn: arn('billing-nightly'),
      Id: 'billing-nightly',
      Name: 'billing-nightly',
      Tags: { team: 'billing' },
      DBInstanceIdentifier: 'billing',
      Engine: 'mysql',
      SnapshotType: 'manual',
      Encrypted: true,
      DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [] }],
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.SnapshotCreateTime);
  });

  it('models a public snapshot and an unencrypted one', async () => {
    expect(await RDS_SNAPSHOT.describe(ctx, { id: 'billing-export' })).toMatchObject({ Tags: null, DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['all'] }] });
    expect(await RDS_SNAPSHOT.describe(ctx, { id: 'legacy-final' })).toMatchObject({ Encrypted: false });
  });

  it('reads no attributes of an automated snapshot', async () => {
    const calls: string[] = [];
    const automated = intercept(ctx, RDSClient, (cmd, send) => {
      calls.push(cmd.constructor.name);
      if (cmd.constructor.name !== 'DescribeDBSnapshotsCommand') return undefined;
      return send(cmd).then((r) => ({ ...(r as object), DBSnapshots: (r as { DBSnapshots: object[] }).DBSnapshots.map((s) => ({ ...s, SnapshotType: 'automated' })) }));
    });
    expect(await RDS_SNAPSHOT.describe(automated, { id: 'billing-nightly' })).toMatchObject({ SnapshotType: 'automated', DBSnapshotAttributes: null });
    expect(calls).toEqual(['DescribeDBSnapshotsCommand']);
  });

  it('returns null for a deleted snapshot and lets other errors propagate', async () => {
    const rds = ctx.clients.get(RDSClient);
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'billing', DBSnapshotIdentifier: 'gone' }));
    await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'gone' }));
    expect(await RDS_SNAPSHOT.describe(ctx, { id: 'gone' })).toBeNull();
    const between = intercept(ctx, RDSClient, (cmd) =>
      cmd.constructor.name === 'DescribeDBSnapshotAttributesCommand' ? Promise.reject(awsError('DBSnapshotNotFoundFault', 'gone')) : undefined,
    );
    expect(await RDS_SNAPSHOT.describe(between, { id: 'billing-nightly' })).toBeNull();
    const throttled = intercept(ctx, RDSClient, (cmd) =>
      cmd.constructor.name === 'DescribeDBSnapshotAttributesCommand' ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : undefined,
    );
    await expect(RDS_SNAPSHOT.describe(throttled, { id: 'billing-nightly' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = RDS_SNAPSHOT.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('rds.amazonaws.com', name, req, res));
    expect(refs('CreateDBSnapshot', { dBSnapshotIdentifier: 'Nightly', dBInstanceIdentifier: 'billing' }, { dBSnapshotIdentifier: 'nightly', dBInstanceIdentifier: 'billing' })).toEqual([{ id: 'nightly' }]);
    expect(refs('CopyDBSnapshot', { sourceDBSnapshotIdentifier: 'rds:billing-2026-01-01', targetDBSnapshotIdentifier: 'kept' })).toEqual([{ id: 'kept' }]);
    expect(refs('ModifyDBSnapshotAttribute', { dBSnapshotIdentifier: 'x', attributeName: 'restore', valuesToAdd: ['all'] })).toEqual([{ id: 'x' }]);
    expect(refs('ModifyDBSnapshotAttribute', { dBSnapshotIdentifier: arn('y'), attributeName: 'restore' })).toEqual([{ id: 'y' }]);
    expect(refs('AddTagsToResource', { resourceName: arn('z'), tags: [] })).toEqual([{ id: 'z' }]);
    expect(refs('AddTagsToResource', { resourceName: `arn:aws:rds:${REGION}:${account}:db:billing`, tags: [] })).toEqual([]);
    expect(ev.DeleteDBSnapshot!.action).toBe('delete');
  });
});
