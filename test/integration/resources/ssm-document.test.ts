import { CreateDocumentCommand, DeleteDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocuments } from '../../../src/local/estate/coverage-messaging.ts';
import { makeSsmDocumentType, SSM_DOCUMENT, type DocumentRef } from '../../../src/resources/ssm-document.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'ap-south-1';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:ssm:${REGION}:${account}:document/${name}`;
const CONTENT = JSON.stringify({ schemaVersion: '2.2', mainSteps: [{ action: 'aws:runShellScript', name: 'x', inputs: { runCommand: ['true'] } }] });

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createDocuments(ctx.clients, REGION, '111122223333');
  await ctx.clients.get(SSMClient).send(new CreateDocumentCommand({ Name: 'third', Content: CONTENT, DocumentType: 'Command' }));
});

describe('AWS.SSM.Document', () => {
  it('lists the account\'s own documents across pages with resolvable refs', async () => {
    const type = makeSsmDocumentType({ pageSize: 2 });
    const seen: DocumentRef[] = [];
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
    // AWS-owned documents (AWS-RunShellScript, ...) are not the account's.
    expect(seen.map((r) => r.name).sort()).toEqual(['public-runbook', 'restart-app', 'third']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a shared document with its permissions and tags', async () => {
    const res = (await SSM_DOCUMENT.describe(ctx, { name: 'restart-app' }))!;
    expect(typeKeys(res)).toEqual(SSM_DOCUMENT.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('restart-app'),
      ResourceType: 'AWS.SSM.Document',
      AccountId: account,
      Region: REGION,
      Arn: arn('restart-app'),
      Id: 'restart-app',
      Name: 'restart-app',
      Tags: { team: 'ops' },
      Owner: account,
      Status: 'Active',
      DocumentType: 'Command',
      DocumentFormat: 'JSON',
      SchemaVersion: '2.2',
      AccountIds: ['111122223333'],
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreatedDate);
    expect(res.Parameters).toEqual([expect.objectContaining({ Name: 'service', Type: 'String', DefaultValue: 'app' })]);
  });

  it('models a public document and an unshared one', async () => {
    expect((await SSM_DOCUMENT.describe(ctx, { name: 'public-runbook' }))!.AccountIds).toEqual(['all']);
    expect(await SSM_DOCUMENT.describe(ctx, { name: 'third' })).toMatchObject({ AccountIds: null, AccountSharingInfoList: null, Tags: null });
  });

  it('returns null for a deleted document and lets throttling propagate', async () => {
    const ssm = ctx.clients.get(SSMClient);
    await ssm.send(new CreateDocumentCommand({ Name: 'gone', Content: CONTENT, DocumentType: 'Command' }));
    await ssm.send(new DeleteDocumentCommand({ Name: 'gone' }));
    expect(await SSM_DOCUMENT.describe(ctx, { name: 'gone' })).toBeNull();
    const throttled = intercept(ctx, SSMClient, (cmd) =>
      cmd.constructor.name === 'DescribeDocumentPermissionCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined,
    );
    await expect(SSM_DOCUMENT.describe(throttled, { name: 'third' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = SSM_DOCUMENT.events;
    const refs = (name: string, req: Record<string, unknown>) => ev[name]!.refs!(trail('ssm.amazonaws.com', name, req));
    expect(refs('CreateDocument', { name: 'd1', documentType: 'Command' })).toEqual([{ name: 'd1' }]);
    expect(ev.DeleteDocument!.action).toBe('delete');
    expect(refs('ModifyDocumentPermission', { name: 'd2', permissionType: 'Share', accountIdsToAdd: ['all'] })).toEqual([{ name: 'd2' }]);
    expect(refs('RemoveTagsFromResource', { resourceType: 'Document', resourceId: 'd3' })).toEqual([{ name: 'd3' }]);
    expect(refs('RemoveTagsFromResource', { resourceType: 'Parameter', resourceId: '/p' })).toEqual([]);
  });
});
