import { CreateServerCommand, DeleteServerCommand, TransferClient, type ListServersCommandOutput } from '@aws-sdk/client-transfer';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTransferServer } from '../../../src/local/estate/coverage-apps.ts';
import { makeTransferServerType, TRANSFER_SERVER } from '../../../src/resources/transfer-server.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'us-east-2';
let ctx: ScanContext;
let sftp: string;
let ftp: string;
let bare: string;
const arn = (id: string) => `arn:aws:transfer:${REGION}:${account}:server/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  sftp = await createTransferServer(ctx.clients, { acct: account });
  ftp = await createTransferServer(ctx.clients, { acct: account, weak: true });
  bare = (await ctx.clients.get(TransferClient).send(new CreateServerCommand({}))).ServerId!;
});

describe('AWS.Transfer.Server', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto ignores ListServers MaxResults/NextToken: paged here as the API reference documents it.
    const paged = intercept(ctx, TransferClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListServersCommand') return undefined;
      return send(cmd).then((all) => {
        const { page, next } = sliced((all as ListServersCommandOutput).Servers ?? [], cmd.input.MaxResults as number, cmd.input.NextToken as string | undefined);
        return { Servers: page, NextToken: next };
      });
    });
    const type = makeTransferServerType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, paged);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.id).sort()).toEqual([sftp, ftp, bare].sort());
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models an SFTP server with logging', async () => {
    const res = (await TRANSFER_SERVER.describe(ctx, { id: sftp }))!;
    expectDocumentedKeys(res, TRANSFER_SERVER.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(sftp),
      ResourceType: 'AWS.Transfer.Server',
      Arn: arn(sftp),
      Id: sftp,
      ServerId: sftp,
      Tags: { team: 'partners' },
      Protocols: ['SFTP'],
      IdentityProviderType: 'SERVICE_MANAGED',
      LoggingRole: `arn:aws:iam::${account}:role/transfer-logging`,
      SecurityPolicyName: 'TransferSecurityPolicy-2024-01',
    });
  });

  it('models an FTP server and a bare one with nulls', async () => {
    const res = (await TRANSFER_SERVER.describe(ctx, { id: ftp }))!;
    expectDocumentedKeys(res, TRANSFER_SERVER.attributes);
    expect(res).toMatchObject({ Tags: null, Protocols: ['SFTP', 'FTP'], LoggingRole: null, EndpointType: 'PUBLIC' });
    expectDocumentedKeys((await TRANSFER_SERVER.describe(ctx, { id: bare }))!, TRANSFER_SERVER.attributes);
  });

  it('returns null for a deleted server and lets other errors propagate', async () => {
    const transfer = ctx.clients.get(TransferClient);
    const gone = (await transfer.send(new CreateServerCommand({}))).ServerId!;
    await transfer.send(new DeleteServerCommand({ ServerId: gone }));
    // moto answers DescribeServer of a deleted server with an HTML error page; AWS answers
    // ResourceNotFoundException (answered here as the API reference documents it).
    const deleted = intercept(ctx, TransferClient, (cmd) =>
      cmd.constructor.name === 'DescribeServerCommand' && cmd.input.ServerId === gone ? Promise.reject(awsError('ResourceNotFoundException', `Unknown server: ${gone}`)) : undefined,
    );
    expect(await TRANSFER_SERVER.describe(deleted, { id: gone })).toBeNull();
    expect((await TRANSFER_SERVER.list(ctx)).refs.map((r) => r.id)).not.toContain(gone);
    const throttled = intercept(ctx, TransferClient, (cmd) => (cmd.constructor.name === 'DescribeServerCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined));
    await expect(TRANSFER_SERVER.describe(throttled, { id: bare })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = TRANSFER_SERVER.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('transfer.amazonaws.com', name, req, res));
    expect(refs('CreateServer', { protocols: ['SFTP'] }, { serverId: 's-1' })).toEqual([{ id: 's-1' }]);
    expect(ev.DeleteServer!.action).toBe('delete');
    expect(refs('UpdateServer', { serverId: 's-2', protocols: ['SFTP'] })).toEqual([{ id: 's-2' }]);
    expect(refs('TagResource', { arn: arn('s-3'), tags: [] })).toEqual([{ id: 's-3' }]);
    expect(refs('TagResource', { arn: `arn:aws:transfer:${REGION}:${account}:workflow/w-1` })).toEqual([]);
  });
});
