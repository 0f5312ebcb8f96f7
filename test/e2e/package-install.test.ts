/**
 * The package as a user gets it: `npm pack` (which builds dist/), `npm install -g` of the tarball into
 * a temporary prefix, then the installed `posture` — outside the checkout, with an empty HOME —
 * prints its version and help, tests a small policy pack and scans the shared moto server.
 * The engine venv it sets up on first use lives in a cache folder kept across runs in the OS temp
 * dir (posture-e2e-engine-cache), so only a machine's first run pays its pip install (~1 min);
 * pip's own wheel cache is the user's usual one. The npm install reads the npm cache first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.ts';
import { engineVenvDir } from '../../src/core/engine-venv.ts';
import { projectRoot } from '../../src/core/paths.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../../src/local/emulator-retry.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../helpers/moto.ts';
import { runProcess, type CliRun } from '../helpers/cli.ts';

const MINUTES = 60_000;
const cacheHome = join(tmpdir(), 'posture-e2e-engine-cache');
const pkg = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

let dir = '';
let posture = '';
let env: NodeJS.ProcessEnv = {};

function run(cmd: string, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runProcess(cmd, args, { cwd: dir, env: { ...env, ...extra } });
}

/** The environment of a fresh machine's user: no npm lifecycle variables, no project Python, an empty HOME. */
function userEnv(home: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|POSTURE_|AWS_|VIRTUAL_ENV)/i.test(k)) e[k] = v;
  return { ...e, HOME: home, XDG_CACHE_HOME: cacheHome, PIP_CACHE_DIR: process.env.PIP_CACHE_DIR ?? join(homedir(), '.cache/pip'), npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posture-pkg-'));
  const home = join(dir, 'home');
  await mkdir(home);
  env = userEnv(home);
  // `npm pack` runs "prepare", which builds dist/ (the venv step skips itself when packing).
  execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: projectRoot, env: userEnv(home), stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball in ${dir}`);
  const listing = execFileSync('tar', ['tzf', join(dir, tarball)], { encoding: 'utf8' });
  for (const f of ['package/dist/posture.mjs', 'package/dist/cli.mjs', 'package/python-runtime/posture_engine/engine.py', 'package/src/local/moto_server.py', 'package/policies/aws_s3_policies/']) {
    if (!listing.includes(f)) throw new Error(`${f} is not in the tarball`);
  }
  const prefix = join(dir, 'prefix');
  const inst = await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball)]);
  if (inst.code !== 0) throw new Error(`npm install -g failed (${inst.code}): ${inst.stderr}`);
  posture = join(prefix, 'bin', 'posture');
}, 10 * MINUTES);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed tarball, installed with npm install -g', () => {
  it('prints its version and help from the build', async () => {
    const v = await run(posture, ['--version']);
    expect(v).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await run(posture, ['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: posture scan [options]');
    expect(help.stdout).toContain('Exit codes'); // the help text a command adds after its options
    // The launcher's build-time help is what the full CLI prints.
    const full = await run(process.execPath, [join(dir, 'prefix/lib/node_modules/posture/dist/cli.mjs'), 'scan', '--help']);
    expect(help.stdout).toBe(full.stdout);
    const fullVersion = await run(process.execPath, [join(dir, 'prefix/lib/node_modules/posture/dist/cli.mjs'), '--version']);
    expect(fullVersion.stdout).toBe(`${pkg.version}\n`);
  });

  it('sets up its engine venv once, in the user cache, and runs posture test on a small pack', { timeout: 10 * MINUTES }, async () => {
    const pack = join(dir, 'my_policies');
    await mkdir(pack);
    await writeFile(join(pack, 'bucket_named.py'), 'def policy(resource):\n    return bool(resource.get("Name"))\n');
    await writeFile(
      join(pack, 'bucket_named.yml'),
      [
        'AnalysisType: policy',
        'Filename: bucket_named.py',
        'PolicyID: Custom.Bucket.Named',
        'DisplayName: Buckets have a name',
        'Enabled: true',
        'ResourceTypes: [AWS.S3.Bucket]',
        'Severity: Low',
        'Tests:',
        '  - { Name: a named bucket, ExpectedResult: true, Resource: { Name: b1 } }',
        "  - { Name: an unnamed bucket, ExpectedResult: false, Resource: { Name: '' } }",
        '',
      ].join('\n'),
    );
    const installedRequirements = join(dir, 'prefix/lib/node_modules/posture/python-runtime/requirements.txt');
    const venv = engineVenvDir(installedRequirements, env);
    const venvPython = join(venv, 'bin/python');
    const existed = existsSync(venvPython);
    const r = await run(posture, ['test', pack]);
    expect(r.stdout).toContain('2 passed, 0 failed');
    expect(r.code).toBe(0);
    const setupLine = /^posture: setting up the policy engine in (.+), once/m;
    if (existed) expect(r.stderr).not.toMatch(setupLine);
    else expect(r.stderr.match(setupLine)?.[1]).toBe(venv);
    expect(existsSync(venvPython)).toBe(true);
    // Once: a second run finds the venv.
    const again = await run(posture, ['test', pack]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(setupLine);
  });

  it('scans the emulator with posture scan', { timeout: 5 * MINUTES }, async () => {
    const account = randomAccountId();
    const credentials = await accountCredentials(account);
    const s3 = createClients({ region: 'us-east-1', endpoint: motoEndpoint(), credentials, ...EMULATOR_CLIENT_OPTIONS }).get(S3Client);
    const bucket = `pkg-e2e-${Math.random().toString(36).slice(2, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    const out = join(dir, 'scan-out');
    const r = await run(posture, ['scan', '--regions', 'us-east-1', '--types', 'AWS.S3.Bucket', '--out', out], {
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      AWS_REGION: 'us-east-1',
    });
    expect(r.stderr).not.toContain('posture scan:');
    expect(r.code).toBe(0);
    const resources = (await readFile(join(out, 'resources.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { Name: string; ResourceId: string });
    const resourceId = resources.find((x) => x.Name === bucket)?.ResourceId;
    expect(resourceId).toBeDefined();
    const findings = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as { accountId: string; resourceId: string; policyId: string; status: string }[];
    expect(findings).toContainEqual(expect.objectContaining({ accountId: account, resourceId, policyId: 'AWS.S3.Bucket.PublicACL', status: 'FAIL' }));
  });
});
