import { CodeBuildClient, CreateProjectCommand, DeleteProjectCommand, type ListProjectsCommandOutput } from '@aws-sdk/client-codebuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBuildProject } from '../../../src/local/estate/coverage-apps.ts';
import { CODEBUILD_PROJECT, makeCodeBuildProjectType, withoutUrlCredentials } from '../../../src/resources/codebuild-project.ts';
import { getResourceType } from '../../../src/resources/index.ts';
import { REDACTED } from '../../../src/resources/redact.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'ca-central-1';
let ctx: ScanContext;
const arn = (name: string) => `arn:aws:codebuild:${REGION}:${account}:project/${name}`;
// What the registry serves (secret attributes redacted), as scans see it.
const registered = () => getResourceType('AWS.CodeBuild.Project');

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createBuildProject(ctx.clients, { acct: account, region: REGION, artifactBucket: 'artifacts', kmsKeyArn: `arn:aws:kms:${REGION}:${account}:key/abc` });
  await createBuildProject(ctx.clients, { acct: account, region: REGION, artifactBucket: 'artifacts', weak: true });
  await ctx.clients.get(CodeBuildClient).send(
    new CreateProjectCommand({
      name: 'bare',
      source: { type: 'NO_SOURCE', location: 'none' },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
      serviceRole: `arn:aws:iam::${account}:role/bare`,
    }),
  );
});

describe('AWS.CodeBuild.Project', () => {
  it('lists across pages with resolvable refs, one BatchGetProjects per page', async () => {
    const calls: string[] = [];
    // moto ignores nextToken and answers every name at once: paged here as the API reference
    // documents it (up to 100 names a page), two names a page.
    const paged = intercept(ctx, CodeBuildClient, (cmd, send) => {
      calls.push(cmd.constructor.name);
      if (cmd.constructor.name !== 'ListProjectsCommand') return undefined;
      return send(cmd).then((all) => {
        const names = [...((all as ListProjectsCommandOutput).projects ?? [])].sort();
        const from = Number(cmd.input.nextToken ?? 0);
        return { projects: names.slice(from, from + 2), nextToken: from + 2 < names.length ? String(from + 2) : undefined };
      });
    });
    const { refs, pages } = await listAll(makeCodeBuildProjectType({ pageSize: 1 }), paged);
    expect(pages).toBe(3);
    expect(refs.map((r) => r.name)).toEqual(['bare', 'legacy-build', 'web-build']);
    expect(calls.filter((c) => c === 'BatchGetProjectsCommand')).toHaveLength(3);
    for (const ref of refs) expect(CODEBUILD_PROJECT.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a project, PascalCase at every depth, environment values redacted', async () => {
    const res = (await registered().describe(ctx, { name: 'web-build' }))!;
    expectDocumentedKeys(res, CODEBUILD_PROJECT.attributes);
    expect(res).toMatchObject({
      ResourceId: arn('web-build'),
      ResourceType: 'AWS.CodeBuild.Project',
      Arn: arn('web-build'),
      Name: 'web-build',
      Tags: { team: 'web' },
      Description: 'Builds the web application',
      Source: expect.objectContaining({ Type: 'CODECOMMIT', Buildspec: 'buildspec.yml' }),
      Environment: expect.objectContaining({
        PrivilegedMode: false,
        EnvironmentVariables: [
          { Name: 'STAGE', Value: REDACTED, Type: 'PLAINTEXT' },
          { Name: 'DB_PASSWORD', Value: REDACTED, Type: 'PARAMETER_STORE' },
        ],
      }),
      LogsConfig: expect.objectContaining({ CloudWatchLogs: expect.objectContaining({ Status: 'ENABLED' }), S3Logs: expect.objectContaining({ EncryptionDisabled: false }) }),
    });
    expect(res.TimeCreated).toMatch(RFC3339);
  });

  it('never keeps a secret: environment values and credentials in source URLs', async () => {
    const res = (await registered().describe(ctx, { name: 'legacy-build' }))!;
    const json = JSON.stringify(res);
    for (const secret of ['not-a-real-token', 'not-a-real-secret-access-key', 'AKIAEXAMPLENOTREAL00', '/web/db-password']) expect(json).not.toContain(secret);
    expect((res.Source as { Location: string }).Location).toBe(`https://deploy:${REDACTED}@bitbucket.org/example/legacy.git`);
    expect((res.Environment as { EnvironmentVariables: unknown[] }).EnvironmentVariables).toEqual([
      { Name: 'AWS_ACCESS_KEY_ID', Value: REDACTED, Type: 'PLAINTEXT' },
      { Name: 'AWS_SECRET_ACCESS_KEY', Value: REDACTED, Type: 'PLAINTEXT' },
    ]);
    expect(withoutUrlCredentials('https://token123@github.com/o/r.git')).toBe(`https://${REDACTED}@github.com/o/r.git`);
    expect(withoutUrlCredentials('https://github.com/o/r.git')).toBe('https://github.com/o/r.git');
    expect(withoutUrlCredentials('s3://bucket/key@v1')).toBe('s3://bucket/key@v1');
  });

  it('models a bare project with nulls', async () => {
    const res = (await CODEBUILD_PROJECT.describe(ctx, { name: 'bare' }))!;
    expectDocumentedKeys(res, CODEBUILD_PROJECT.attributes);
    expect(res).toMatchObject({ Tags: null, VpcConfig: null, SecondarySources: null });
  });

  it('returns null for a deleted project and lets errors propagate', async () => {
    const cb = ctx.clients.get(CodeBuildClient);
    await cb.send(new CreateProjectCommand({ name: 'gone', source: { type: 'NO_SOURCE', location: 'none' }, artifacts: { type: 'NO_ARTIFACTS' }, environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL' }, serviceRole: `arn:aws:iam::${account}:role/x` }));
    await cb.send(new DeleteProjectCommand({ name: 'gone' }));
    expect(await CODEBUILD_PROJECT.describe(ctx, { name: 'gone' })).toBeNull();
    const denied = intercept(ctx, CodeBuildClient, (cmd) => (cmd.constructor.name === 'BatchGetProjectsCommand' ? Promise.reject(awsError('AccessDeniedException', 'not allowed')) : undefined));
    await expect(CODEBUILD_PROJECT.describe(denied, { name: 'bare' })).rejects.toThrow('not allowed');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = CODEBUILD_PROJECT.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('codebuild.amazonaws.com', name, req, res));
    expect(refs('CreateProject', { name: 'p1', source: {} }, { project: { name: 'p1', arn: arn('p1') } })).toEqual([{ name: 'p1' }]);
    expect(ev.DeleteProject!.action).toBe('delete');
    expect(refs('UpdateProject', { name: 'p2' })).toEqual([{ name: 'p2' }]);
    expect(refs('CreateWebhook', { projectName: 'p3' })).toEqual([{ name: 'p3' }]);
    expect(refs('UpdateProjectVisibility', { projectArn: arn('p4'), projectVisibility: 'PUBLIC_READ' })).toEqual([{ name: 'p4' }]);
  });
});
