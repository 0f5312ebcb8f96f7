/**
 * `posture scan`'s gate: what counts as not evaluated, the exit code's precedence
 * (130 > 1 > 3 > 0), the one-line summary of an incomplete scan, and the --out checks made
 * before anything starts.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/compliance/findings.ts';
import { outDirProblem, outFileProblem } from '../../src/cli/out-path.ts';
import { assessCompleteness, describeIncomplete, EXIT, scanExitCode, type NotEvaluatedScope } from '../../src/cli/scan.ts';

const A = '111122223333';
const scope = (outcome: string, resourceType = 'AWS.S3.Bucket', region = 'us-east-1', message: string | null = `${outcome}: why`): NotEvaluatedScope => ({
  accountId: A,
  region,
  resourceType,
  outcome,
  message,
});

const finding = (over: Partial<Finding>): Finding =>
  ({ accountId: A, region: 'us-east-1', resourceId: 'r', resourceType: 'AWS.S3.Bucket', policyId: 'P', severity: 'High', status: 'PASS', suppressed: false, errorMessage: null, ...over }) as Finding;

const assess = (over: Partial<Parameters<typeof assessCompleteness>[0]>) =>
  assessCompleteness({ notEvaluated: [], engineErrors: [], findings: [], failOn: null, allowIncomplete: false, ...over });

describe('what makes a scan incomplete', () => {
  it('counts every scope outcome but OK; opt-in regions not enabled and interrupted scopes are not counted', () => {
    const c = assess({
      notEvaluated: [
        scope('ACCESS_DENIED', 'AWS.S3.Bucket', 'global', 'AccessDenied: no'),
        scope('REGION_DISABLED', '*', 'ap-east-1'),
        scope('REGION_DISABLED', 'AWS.KMS.Key', 'me-south-1'),
        scope('THROTTLED', 'AWS.KMS.Key'),
        scope('ACCESS_DENIED', 'AWS.KMS.Key', 'us-east-1', 'AccessDeniedException: no'),
        scope('ERROR', '*', '*', 'Error: policy engine exited (code 0)'),
        scope('INTERRUPTED', 'AWS.IAM.User', 'global'),
      ],
    });
    expect(c).toMatchObject({ complete: false, notEvaluated: 4, engineErrors: [], errorResults: 0 });
    expect(c.byOutcome.map((g) => [g.outcome, g.count])).toEqual([
      ['ACCESS_DENIED', 2],
      ['ERROR', 1],
      ['THROTTLED', 1],
    ]);
    expect(describeIncomplete(c, null)).toEqual([
      `4 scopes not evaluated: ACCESS_DENIED ×2 (${A} global AWS.S3.Bucket: AccessDenied: no; ${A} us-east-1 AWS.KMS.Key: AccessDeniedException: no), ` +
        `ERROR ×1 (${A} * *: Error: policy engine exited (code 0)), THROTTLED ×1 (${A} us-east-1 AWS.KMS.Key: THROTTLED: why)`,
    ]);
    expect(assess({ notEvaluated: [scope('REGION_DISABLED', '*', 'ap-east-1'), scope('INTERRUPTED')] }).complete).toBe(true);
  });

  it('lists a few scopes per outcome on the summary line, all of them in the result', () => {
    const c = assess({ notEvaluated: Array.from({ length: 5 }, (_, i) => scope('ACCESS_DENIED', `AWS.T${i}`)) });
    expect(c.byOutcome[0]!.scopes).toHaveLength(5);
    expect(describeIncomplete(c, null)[0]).toMatch(/^5 scopes not evaluated: ACCESS_DENIED ×5 \(.*AWS\.T2: ACCESS_DENIED: why; … 2 more\)$/);
  });

  it('counts policies the engine could not load, and ERROR results at or above --fail-on (all of them without it)', () => {
    expect(assess({ engineErrors: ['x.yml: Filename: x.py failed to import: SyntaxError'] })).toMatchObject({ complete: false, engineErrors: [expect.any(String)] });
    const findings = [
      finding({ policyId: 'Info.P', severity: 'Info', status: 'ERROR', errorMessage: 'KeyError: a' }),
      finding({ policyId: 'High.P', severity: 'High', status: 'ERROR', errorMessage: 'TimeoutError: policy exceeded 5s' }),
      finding({ policyId: 'High.P', severity: 'High', status: 'ERROR', resourceId: 'r2', errorMessage: 'TimeoutError: policy exceeded 5s' }),
      finding({ policyId: 'Crit.P', severity: 'Critical', status: 'ERROR', suppressed: true }),
      finding({ policyId: 'Crit.P', severity: 'Critical', status: 'FAIL' }),
    ];
    expect(assess({ findings })).toMatchObject({ complete: false, errorResults: 3 });
    const gated = assess({ findings, failOn: 'High' });
    expect(gated).toMatchObject({ complete: false, errorResults: 2, errorsByPolicy: [{ policyId: 'High.P', severity: 'High', count: 2, errorMessage: 'TimeoutError: policy exceeded 5s' }] });
    expect(describeIncomplete(gated, 'High')).toEqual(['2 policy results ERROR at or above High (not evaluated): High.P ×2 (TimeoutError: policy exceeded 5s)']);
    // An Info policy's error does not hold up a gate at High: a FAIL there would not fail it either.
    expect(assess({ findings: findings.slice(0, 1), failOn: 'High' }).complete).toBe(true);
  });
});

describe('the exit code', () => {
  const incomplete = assess({ notEvaluated: [scope('ACCESS_DENIED')] });
  const allowed = assess({ notEvaluated: [scope('ACCESS_DENIED')], allowIncomplete: true });
  const complete = assess({});

  it('is 130 interrupted, then 1 failing, then 3 incomplete, then 0', () => {
    expect(scanExitCode({ interrupted: true, failOnHit: true, completeness: incomplete })).toBe(EXIT.interrupted);
    expect(scanExitCode({ interrupted: false, failOnHit: true, completeness: incomplete })).toBe(EXIT.failing);
    expect(scanExitCode({ interrupted: false, failOnHit: false, completeness: incomplete })).toBe(EXIT.incomplete);
    expect(scanExitCode({ interrupted: false, failOnHit: false, completeness: complete })).toBe(EXIT.ok);
    expect(EXIT).toEqual({ ok: 0, failing: 1, usage: 2, incomplete: 3, interrupted: 130 });
  });

  it('--allow-incomplete gives up only 3', () => {
    expect(scanExitCode({ interrupted: false, failOnHit: false, completeness: allowed })).toBe(0);
    expect(scanExitCode({ interrupted: false, failOnHit: true, completeness: allowed })).toBe(1);
  });
});

describe('--out is checked before anything starts', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'posture-out-'));
    await writeFile(join(tmp, 'file'), 'x');
  });

  it('a directory: existing and writable, or creatable; never created by the check', () => {
    expect(outDirProblem(tmp)).toBeNull();
    expect(outDirProblem(join(tmp, 'a', 'b'))).toBeNull();
    expect(existsSync(join(tmp, 'a'))).toBe(false);
    expect(outDirProblem(join(tmp, 'file'))).toBe(`${join(tmp, 'file')} is a file, not a directory`);
    expect(outDirProblem(join(tmp, 'file', 'x', 'y'))).toBe(`${join(tmp, 'file', 'x', 'y')} cannot be created: ${join(tmp, 'file')} is a file, not a directory`);
    expect(outDirProblem('/proc/posture-out')).toMatch(/^\/proc\/posture-out cannot be created: \/proc is not writable \(\w+\)$/);
  });

  it('a file: not a directory, in a directory that is writable or creatable', () => {
    expect(outFileProblem(join(tmp, 'r.html'))).toBeNull();
    expect(outFileProblem(join(tmp, 'new', 'r.html'))).toBeNull();
    expect(outFileProblem(tmp)).toBe(`${tmp} is a directory; name the file to write`);
    expect(outFileProblem(join(tmp, 'file', 'r.html'))).toBe(`${join(tmp, 'file', 'r.html')}: ${join(tmp, 'file')} is a file, not a directory`);
  });
});
