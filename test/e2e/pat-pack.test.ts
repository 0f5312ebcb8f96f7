/**
 * panther_analysis_tool `test` semantics end to end, as a user runs the CLI: `posture test` on a
 * pack in PAT's shape (test/fixtures/pat-pack, its counts explained in expected-counts.json), its
 * `--json` document, paths without policies for `posture test` and `posture bundle`, and a scan
 * that loads a policy on a retired, Panther-documented type and says once that it is not scanned.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTestReport } from '../../src/cli/engine-runner.ts';
import { pythonExecutable } from '../../src/core/paths.ts';
import { NOT_SCANNED } from '../../src/resources/panther-types.ts';
import { runPosture } from '../helpers/cli.ts';
import { motoEndpoint } from '../helpers/moto.ts';

const PACK = 'test/fixtures/pat-pack';

interface Expected {
  tests: { passed: number; failed: number };
  policies: { passed: number; failed: number; skipped: number };
  invalid: number;
  exitCode: number;
}

let expected: Expected;
let tmp: string;

beforeAll(async () => {
  expected = JSON.parse(await readFile(join(PACK, 'expected-counts.json'), 'utf8')) as Expected;
  tmp = await mkdtemp(join(tmpdir(), 'posture-pat-pack-'));
});

const posture = (args: string[]) => runPosture(args, { ...process.env });

describe('posture test on a pack in PAT shape', () => {
  it.concurrent('reports PAT summary counts, invalid specs with reasons, and ends with the test counts', async () => {
    const r = await posture(['test', PACK, '--no-install']);
    expect(r.code).toBe(expected.exitCode);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(lines.indexOf('Test Summary'))).toEqual([
      'Test Summary',
      `\tPath: ${PACK}`,
      `\tPassed: ${expected.policies.passed}`,
      `\tSkipped: ${expected.policies.skipped}`,
      `\tFailed: ${expected.policies.failed}`,
      `\tInvalid: ${expected.invalid}`,
      '',
      `${expected.tests.passed} passed, ${expected.tests.failed} failed`,
    ]);
    const invalid = lines.slice(lines.indexOf('Invalid Tests Summary') + 1, lines.indexOf('Test Summary'));
    expect(invalid.filter((l) => l.startsWith('\t') && !l.startsWith('\t\t'))).toEqual([
      `\t${PACK}/aws_broken_policies/bad_severity.yml`,
      `\t${PACK}/aws_broken_policies/missing_file.yml`,
      `\t${PACK}/aws_broken_policies/missing_severity.yml`,
      `\t${PACK}/aws_broken_policies/unknown_type.yml`,
    ]);
    expect(lines).toContain('         error: ZeroDivisionError: division by zero (aws_s3_bucket_versioning.py:10 in policy)');
    // Retired WAF Classic types are known: that policy's tests ran and passed.
    expect(lines).toContain(`PatPack.WAF.WebACL.DefaultBlock (${PACK}/aws_waf_policies/aws_waf_webacl_default_block.yml)`);
    // The runner's own account of the run stands: no second verdict from the CLI.
    expect(r.stderr).not.toMatch(/^posture test:/m);
  });

  it.concurrent('--json prints exactly one JSON document on stdout; the summary goes to stderr', async () => {
    const r = await posture(['test', PACK, '--json', '--no-install']);
    expect(r.code).toBe(expected.exitCode);
    // As a shell pipeline would: `posture test --json | python -m json.tool`.
    const tool = spawnSync(pythonExecutable(), ['-m', 'json.tool'], { input: r.stdout, encoding: 'utf8' });
    expect(tool.status).toBe(0);
    const parsed = parseTestReport(r.stdout);
    if (!parsed.ok) throw new Error(parsed.problem);
    const report = parsed.report;
    expect({ passed: report.passed, failed: report.failed }).toEqual(expected.tests);
    expect({ passed: report.policiesPassed, failed: report.policiesFailed, skipped: report.policiesSkipped }).toEqual(expected.policies);
    expect(report.invalid).toBe(expected.invalid);
    expect(report.invalidSpecs.map((s) => s.file.split('/').pop())).toEqual(['bad_severity.yml', 'missing_file.yml', 'missing_severity.yml', 'unknown_type.yml']);
    expect(report.policies['PatPack.S3.Bucket.Recent']!.map((c) => c.passed)).toEqual([true, true, true]);
    const err = r.stderr.trimEnd().split('\n');
    expect(err[err.length - 1]).toBe(`${expected.tests.passed} passed, ${expected.tests.failed} failed`);
    expect(err).toContain(`\tInvalid: ${expected.invalid}`);
  });

  it.concurrent('a path without policies is an error for test and bundle, naming the path and what was looked for', async () => {
    const empty = join(tmp, 'empty');
    const wrongFolder = join(tmp, 'src');
    await mkdir(empty, { recursive: true });
    await mkdir(join(wrongFolder, 'checks'), { recursive: true });
    await cp(join(PACK, 'aws_s3_policies'), join(wrongFolder, 'checks'), { recursive: true });
    const looked = 'no policy found: looked for a .yml/.yaml/.json spec in a folder whose name contains "policies" (or "global" for helpers)';
    for (const path of [empty, wrongFolder]) {
      const t = await posture(['test', path, '--no-install']);
      expect(t.code).toBe(1);
      expect(t.stdout.split('\n').filter((l) => l.includes('no policy found'))).toEqual([`\t${path}: ${looked}`]);
      const out = join(tmp, `${path.split('/').pop()}.zip`);
      const b = await posture(['bundle', path, '--out', out]);
      expect(b.code).toBe(1);
      expect(b.stdout).toContain(`${path}: ${looked}`);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('scanning with a policy on a retired Panther type', () => {
  it.concurrent('loads the pack and says once that the type is not scanned, and why', { timeout: 180_000 }, async () => {
    const pack = join(tmp, 'waf-pack');
    await cp(join(PACK, 'aws_waf_policies'), join(pack, 'aws_waf_policies'), { recursive: true });
    await cp(join(PACK, 'global_helpers'), join(pack, 'global_helpers'), { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: motoEndpoint(), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
    delete env.AWS_SESSION_TOKEN;
    delete env.AWS_PROFILE;
    const r = await runPosture(['scan', '--types', 'AWS.PasswordPolicy', '--regions', 'us-east-1', '--policies', pack, '--out', join(tmp, 'scan')], env);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('posture scan:'))).toEqual([]);
    expect([0, 1]).toContain(r.code); // findings of the built-in pack may fail; the scan itself completed
    const notes = r.stderr.split('\n').filter((l) => l.includes('not scanned:'));
    expect(notes.map((l) => l.trim())).toEqual([
      `not scanned: policy PatPack.WAF.WebACL.DefaultBlock targets AWS.WAF.Regional.WebACL, which is not scanned: ${NOT_SCANNED['AWS.WAF.Regional.WebACL']}`,
      `not scanned: policy PatPack.WAF.WebACL.DefaultBlock targets AWS.WAF.WebACL, which is not scanned: ${NOT_SCANNED['AWS.WAF.WebACL']}`,
    ]);
    expect(r.stderr).not.toContain('policy error:');
  });
});
