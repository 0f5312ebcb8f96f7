import { CreateJobCommand, DeleteJobCommand, GlueClient } from '@aws-sdk/client-glue';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGlueJob } from '../../../src/local/estate/coverage-apps.ts';
import { GLUE_JOB, makeGlueJobType } from '../../../src/resources/glue-job.ts';
import { getResourceType } from '../../../src/resources/index.ts';
import { REDACTED } from '../../../src/resources/redact.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'us-west-2';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:glue:${REGION}:${account}:job/${name}`;
const registered = () => getResourceType('AWS.Glue.Job');

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createGlueJob(ctx.clients, { acct: account, scriptBucket: 'scripts' });
  await createGlueJob(ctx.clients, { acct: account, scriptBucket: 'scripts', weak: true });
  await ctx.clients.get(GlueClient).send(new CreateJobCommand({ Name: 'third', Role: 'r', Command: { Name: 'pythonshell', ScriptLocation: 's3://scripts/x.py' } }));
});

describe('AWS.Glue.Job', () => {
  it('lists across pages, describing from the listed page', async () => {
    const calls: string[] = [];
    const spied = intercept(ctx, GlueClient, (cmd) => {
      calls.push(cmd.constructor.name);
      return undefined;
    });
    const type = makeGlueJobType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, spied);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.name).sort()).toEqual(['legacy-etl', 'nightly-etl', 'third']);
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
    await type.describe(spied, { name: 'third' });
    expect(calls).toEqual(['GetJobsCommand', 'GetJobsCommand', 'GetTagsCommand']);
  });

  it('models a job with its argument values redacted', async () => {
    const res = (await registered().describe(ctx, { name: 'nightly-etl' }))!;
    expectDocumentedKeys(res, GLUE_JOB.attributes);
    expect(res).toMatchObject({
      ResourceId: arn('nightly-etl'),
      ResourceType: 'AWS.Glue.Job',
      Name: 'nightly-etl',
      Tags: { team: 'data' },
      GlueVersion: '4.0',
      SecurityConfiguration: 'etl-encrypted',
      Command: expect.objectContaining({ Name: 'glueetl' }),
      DefaultArguments: { '--enable-continuous-cloudwatch-log': REDACTED, '--job-language': REDACTED, '--db-password': REDACTED },
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(JSON.stringify(res)).not.toContain('not-a-real-db-password');
  });

  it('models a bare job with nulls', async () => {
    const res = (await GLUE_JOB.describe(ctx, { name: 'third' }))!;
    expectDocumentedKeys(res, GLUE_JOB.attributes);
    expect(res).toMatchObject({ Tags: null, SecurityConfiguration: null });
    // AWS leaves DefaultArguments out of a job without any; moto answers {}.
    expect(res.DefaultArguments ?? {}).toEqual({});
    expect((await GLUE_JOB.describe(ctx, { name: 'legacy-etl' }))!.GlueVersion).toBe('1.0');
  });

  it('returns null for a deleted job and lets other errors propagate', async () => {
    const glue = ctx.clients.get(GlueClient);
    await glue.send(new CreateJobCommand({ Name: 'gone', Role: 'r', Command: { Name: 'glueetl' } }));
    await glue.send(new DeleteJobCommand({ JobName: 'gone' }));
    expect(await GLUE_JOB.describe(ctx, { name: 'gone' })).toBeNull();
    const denied = intercept(ctx, GlueClient, (cmd) => (cmd.constructor.name === 'GetTagsCommand' ? Promise.reject(awsError('AccessDeniedException', 'not allowed')) : undefined));
    await expect(GLUE_JOB.describe(denied, { name: 'third' })).rejects.toThrow('not allowed');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = GLUE_JOB.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('glue.amazonaws.com', name, req, res));
    expect(refs('CreateJob', { name: 'j1', role: 'r' }, { name: 'j1' })).toEqual([{ name: 'j1' }]);
    expect(refs('UpdateJob', { jobName: 'j2', jobUpdate: {} })).toEqual([{ name: 'j2' }]);
    expect(ev.DeleteJob!.action).toBe('delete');
    expect(refs('TagResource', { resourceArn: arn('j3'), tagsToAdd: {} })).toEqual([{ name: 'j3' }]);
    expect(refs('TagResource', { resourceArn: `arn:aws:glue:${REGION}:${account}:crawler/c1` })).toEqual([]);
  });
});
