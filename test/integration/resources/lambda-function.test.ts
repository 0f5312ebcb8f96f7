import { CreateFunctionCommand, DeleteFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiFunction, FUNCTION_CODE } from '../../../src/local/estate/compute.ts';
import { functionNameOf, LAMBDA_FUNCTION, makeLambdaFunctionType } from '../../../src/resources/lambda-function.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-2';
let ctx: ScanContext;
let lambda: LambdaClient;
let role: string;

const arn = (name: string) => `arn:aws:lambda:${REGION}:${account}:function:${name}`;
const CODE = FUNCTION_CODE;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  lambda = ctx.clients.get(LambdaClient);
  role = await createApiFunction(ctx.clients);
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'bare', Runtime: 'python3.12', Role: role, Handler: 'app.handler', Code: CODE }));
});

describe('AWS.Lambda.Function', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto ignores MaxItems: page its full answer.
    const paged = intercept(ctx, LambdaClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListFunctionsCommand') return undefined;
      return (async () => {
        const all = ((await send(new ListFunctionsCommand({}))) as { Functions: object[] }).Functions;
        const from = Number(cmd.input.Marker ?? 0);
        const to = from + Number(cmd.input.MaxItems);
        return { Functions: all.slice(from, to), NextMarker: to < all.length ? String(to) : undefined };
      })();
    });
    const type = makeLambdaFunctionType({ pageSize: 1 });
    const { refs: seen, pages } = await listAll(type, paged);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.name).sort()).toEqual(['api', 'bare']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a configured function with its resource policy', async () => {
    const res = (await LAMBDA_FUNCTION.describe(ctx, { name: 'api' }))!;
    expect(typeKeys(res)).toEqual(LAMBDA_FUNCTION.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('api'),
      ResourceType: 'AWS.Lambda.Function',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: arn('api'),
      Id: null,
      Name: 'api',
      Tags: { team: 'api' },
      FunctionName: 'api',
      FunctionArn: arn('api'),
      Runtime: 'nodejs20.x',
      Role: role,
      Handler: 'index.handler',
      Description: 'public API',
      MemorySize: 256,
      Timeout: 10,
      Version: '$LATEST',
      Environment: { Variables: { STAGE: 'prod' }, Error: null },
      TracingConfig: { Mode: 'Active' },
      VpcConfig: null,
      DeadLetterConfig: null,
      // moto does not keep KMSKeyArn; the key is there (null).
      KMSKeyArn: null,
      PackageType: 'Zip',
    });
    // Lambda's "…+0000" (moto: nanoseconds) as RFC 3339.
    expect(res.LastModified).toMatch(RFC3339);
    // The GetPolicy output object, the policy a JSON string (Panther's model).
    const policy = res.Policy as { Policy: string; RevisionId: string };
    expect(Object.keys(policy).sort()).toEqual(['Policy', 'RevisionId']);
    expect(typeof policy.Policy).toBe('string');
    expect(JSON.parse(policy.Policy)).toMatchObject({
      Statement: [expect.objectContaining({ Sid: 'public', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: arn('api') })],
    });
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare function with nulls', async () => {
    const res = (await LAMBDA_FUNCTION.describe(ctx, { name: 'bare' }))!;
    expect(res).toMatchObject({ ResourceId: arn('bare'), Name: 'bare', Tags: null, Policy: null, Environment: null, Runtime: 'python3.12' });
  });

  it('returns null for a deleted function', async () => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'gone', Runtime: 'python3.12', Role: role, Handler: 'app.handler', Code: CODE }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'gone' }));
    expect(await LAMBDA_FUNCTION.describe(ctx, { name: 'gone' })).toBeNull();
    // Deleted between the configuration and the tags call.
    const between = intercept(ctx, LambdaClient, (cmd) =>
      cmd.constructor.name === 'ListTagsCommand' ? Promise.reject(awsError('ResourceNotFoundException', 'Function not found')) : undefined,
    );
    expect(await LAMBDA_FUNCTION.describe(between, { name: 'bare' })).toBeNull();
  });

  it('lets AccessDenied and throttling propagate', async () => {
    const denied = intercept(ctx, LambdaClient, (cmd) =>
      cmd.constructor.name === 'GetPolicyCommand' ? Promise.reject(awsError('AccessDeniedException', 'not authorized')) : undefined,
    );
    await expect(LAMBDA_FUNCTION.describe(denied, { name: 'api' })).rejects.toThrow('not authorized');
    const throttled = intercept(ctx, LambdaClient, (cmd) =>
      cmd.constructor.name === 'ListFunctionsCommand' ? Promise.reject(awsError('TooManyRequestsException', 'Rate exceeded')) : undefined,
    );
    await expect(LAMBDA_FUNCTION.list(throttled)).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events (versioned names) to refs', () => {
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      LAMBDA_FUNCTION.events[name]!.refs!(trail('lambda.amazonaws.com', name, req, res));
    expect(refs('CreateFunction20150331', { functionName: 'a', runtime: 'nodejs20.x' }, { functionName: 'a', functionArn: arn('a') })).toEqual([{ name: 'a' }]);
    expect(refs('UpdateFunctionConfiguration20150331v2', { functionName: arn('b'), memorySize: 512 })).toEqual([{ name: 'b' }]);
    expect(refs('AddPermission20150331v2', { functionName: `${account}:function:c`, statementId: 's', principal: '*' })).toEqual([{ name: 'c' }]);
    expect(refs('RemovePermission20150331v2', { functionName: 'd:prod', statementId: 's' })).toEqual([{ name: 'd' }]);
    expect(refs('TagResource20170331v2', { resource: arn('e'), tags: { a: 'b' } })).toEqual([{ name: 'e' }]);
    expect(LAMBDA_FUNCTION.events.DeleteFunction20150331!.action).toBe('delete');
    expect(refs('DeleteFunction20150331', { functionName: 'f' })).toEqual([{ name: 'f' }]);
    // Deleting one version leaves the function.
    expect(refs('DeleteFunction20150331', { functionName: 'f', qualifier: '3' })).toEqual([]);
    expect(functionNameOf(`${arn('g')}:live`)).toBe('g');
    expect(functionNameOf('arn:aws:lambda:us-east-1:1:layer:x:1')).toBeUndefined();
  });
});
