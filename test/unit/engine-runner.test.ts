/**
 * `posture test`, `posture bundle`, `posture upload`'s test step and `posture scan --policies`
 * pass only on the engine's own summary line `N passed, 0 failed` (consistent with its report and
 * an exit status of 0), never on an exit status alone: a runner that exits 0 without a summary (a
 * crashed interpreter, a killed process, empty output) fails with one line. The runner is replaced
 * by small shell scripts through POSTURE_PYTHON (the executable every engine run uses).
 */
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildBundle } from '../../src/cli/commands/bundle.ts';
import { runPolicyTests } from '../../src/cli/commands/test.ts';
import { runUpload } from '../../src/cli/commands/upload.ts';
import { judgeTestRun, readTestSummary } from '../../src/cli/engine-runner.ts';
import { checkPolicyDirs, ScanUsageError } from '../../src/cli/scan.ts';
import type { Target } from '../../src/cli/target.ts';

let tmp: string;
let pack: string;

/** A stand-in interpreter: the shell script body runs whatever module is asked for. */
async function fakePython(name: string, body: string): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

function withPython<T>(python: string, fn: () => T): T {
  const before = process.env.POSTURE_PYTHON;
  process.env.POSTURE_PYTHON = python;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.POSTURE_PYTHON;
    else process.env.POSTURE_PYTHON = before;
  }
}

async function policyPack(root: string, source: string): Promise<string> {
  const dir = join(root, 'runner_policies');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'p.py'), source);
  await writeFile(
    join(dir, 'p.yml'),
    'AnalysisType: policy\nFilename: p.py\nPolicyID: Test.Runner\nSeverity: Low\nResourceTypes: [AWS.S3.Bucket]\nTests:\n  - Name: any bucket\n    ExpectedResult: true\n    Resource: {Name: b}\n',
  );
  return root;
}

const errors = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => String(c[0]));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'posture-runner-'));
  pack = await policyPack(join(tmp, 'good'), 'def policy(resource):\n    return True\n');
});

afterEach(() => vi.restoreAllMocks());

describe('the test runner is judged by its own summary line', () => {
  it('reads the summary and checks it against the report', () => {
    expect(readTestSummary('X (p.yml)\n  [PASS] a\n  [PASS] b\n\n2 passed, 0 failed\n')).toEqual({ ok: true, passed: 2, failed: 0 });
    expect(readTestSummary('')).toEqual({ ok: false, problem: 'it ended without its summary line "N passed, N failed" (no output)' });
    expect(readTestSummary('  [PASS] a\n3 passed, 0 failed\n')).toMatchObject({ ok: false, problem: expect.stringContaining('disagrees with the tests it reported (1 passed, 0 failed)') });
    expect(readTestSummary('1 passed, 0 failed\nTraceback (most recent call last):\n')).toMatchObject({ ok: false, problem: expect.stringContaining('last line: "Traceback') });
    // --json: stdout is exactly one document (TestReport); the summary line is on stderr.
    const testCase = (passed: boolean) => ({ policy_id: 'X', name: passed ? 'a' : 'b', expected: true, passed, status: passed ? 'PASS' : 'FAIL', title: null, problems: [] });
    const doc = (passed: number) =>
      `${JSON.stringify({ path: ['p'], passed, failed: 1, invalid: 0, policiesPassed: 0, policiesFailed: 1, policiesSkipped: 0, policies: { X: [testCase(true), testCase(false)] }, failedPolicies: ['X'], invalidSpecs: [], errors: [], tooFewTests: [] })}\n`;
    expect(readTestSummary(doc(1), { json: true })).toEqual({ ok: true, passed: 1, failed: 1 });
    expect(readTestSummary(doc(1), { json: true, stderr: 'Test Summary\n1 passed, 1 failed\n' })).toEqual({ ok: true, passed: 1, failed: 1 });
    expect(readTestSummary(doc(1), { json: true, stderr: '2 passed, 1 failed\n' })).toMatchObject({ ok: false, problem: expect.stringContaining('disagrees with its JSON report') });
    expect(readTestSummary(doc(2), { json: true })).toMatchObject({ ok: false, problem: expect.stringContaining('disagree with the tests it reported (1 passed, 1 failed)') });
    expect(readTestSummary(`${doc(1)}1 passed, 1 failed\n`, { json: true })).toMatchObject({ ok: false, problem: expect.stringContaining('is not one JSON document') });
    expect(readTestSummary('{"passed": 1}\n', { json: true })).toMatchObject({ ok: false, problem: expect.stringContaining('does not have the expected shape') });
    expect(readTestSummary('', { json: true })).toEqual({ ok: false, problem: 'it ended without its JSON report (no output)' });
    // Exit 0 with failures reported, or a killed runner: never a pass.
    expect(judgeTestRun({ status: 0, signal: null, stdout: '  [FAIL] a\n0 passed, 1 failed\n', stderr: '' })).toMatchObject({ code: 1, error: 'the policy test runner exited 0 but reported 1 failed' });
    expect(judgeTestRun({ status: null, signal: 'SIGKILL', stdout: '', stderr: '' })).toMatchObject({ code: 1, error: expect.stringMatching(/^the policy test runner failed \(killed by SIGKILL\)/) });
    expect(judgeTestRun({ status: 0, signal: null, stdout: '  [PASS] a\n1 passed, 0 failed\n', stderr: '' })).toEqual({ code: 0, counts: { ok: true, passed: 1, failed: 0 } });
  });

  it('posture test: a runner that exits 0 without its summary fails with one line', { timeout: 30_000 }, async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const silent = await fakePython('silent', 'exit 0');
    expect(withPython(silent, () => runPolicyTests([pack], {}))).toBe(1);
    expect(errors(err)).toEqual(['posture test: the policy test runner failed (exit code 0): it ended without its summary line "N passed, N failed" (no output)']);

    err.mockClear();
    const lying = await fakePython('lying', "echo '  [PASS] a'; echo '5 passed, 0 failed'; exit 0");
    expect(withPython(lying, () => runPolicyTests([pack], {}))).toBe(1);
    expect(errors(err)).toEqual([expect.stringContaining('its summary "5 passed, 0 failed" disagrees with the tests it reported (1 passed, 0 failed)')]);

    err.mockClear();
    const killed = await fakePython('killed', 'kill -9 $$');
    expect(withPython(killed, () => runPolicyTests([pack], { json: true }))).toBe(1);
    expect(errors(err)).toEqual([expect.stringMatching(/^posture test: the policy test runner failed \(killed by SIGKILL\)/)]);

    // The real runner on a passing pack.
    err.mockClear();
    expect(runPolicyTests([pack], { install: false })).toBe(0);
    expect(runPolicyTests([pack], { install: false, json: true })).toBe(0);
    expect(errors(err)).toEqual([]);
  });

  it('posture test: a policy that ends the interpreter mid-run is a failure', { timeout: 30_000 }, async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const exits = await policyPack(join(tmp, 'exits'), 'import os\n\ndef policy(resource):\n    os._exit(0)\n');
    expect(runPolicyTests([exits], { install: false })).toBe(1);
  });

  it('posture bundle and upload: no pass, no bundle, nothing uploaded without the summary and the wrote line', { timeout: 30_000 }, async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const silent = await fakePython('silent-bundle', 'exit 0');
    const out = join(tmp, 'b.zip');
    expect(withPython(silent, () => buildBundle([pack], { out }))).toBe(1);
    expect(errors(err)).toEqual([expect.stringMatching(/^posture bundle: the policy test runner failed \(exit code 0\): it did not report the bundle it wrote/)]);

    err.mockClear();
    const noZip = await fakePython('no-zip', `echo '  [PASS] a'; echo '1 passed, 0 failed'; echo "wrote ${out}: 1 policies, 0 globals, content hash ${'a'.repeat(64)}"; exit 0`);
    expect(withPython(noZip, () => buildBundle([pack], { out }))).toBe(1);
    expect(errors(err)).toEqual([`posture bundle: the bundler reported writing ${out}, but it is not there`]);

    // upload's test step is the bundle's: nothing reaches the target.
    const lines: string[] = [];
    const target = {} as Target;
    process.env.POSTURE_PYTHON = silent;
    const code = await runUpload(target, [pack], {}, { out: (l) => lines.push(l), err: (l) => lines.push(l) }).finally(() => delete process.env.POSTURE_PYTHON);
    expect(code).toBe(1);
    expect(lines).toEqual(['posture upload: the pack is invalid or its tests fail (see above); nothing was uploaded']);

    // The real bundler.
    err.mockClear();
    expect(buildBundle([pack], { out })).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(errors(err)).toEqual([]);
  });

  it('posture scan --policies: a runner without its summary stops the scan with one line', async () => {
    const silent = await fakePython('silent-scan', 'echo "boom" >&2; exit 0');
    expect(() => withPython(silent, () => checkPolicyDirs([pack]))).toThrow(ScanUsageError);
    expect(() => withPython(silent, () => checkPolicyDirs([pack]))).toThrow(
      `--policies ${pack}: the policy test runner failed (exit code 0): it ended without its JSON report (no output); stderr: boom`,
    );
    const noJson = await fakePython('no-json', "echo '0 passed, 0 failed'");
    expect(() => withPython(noJson, () => checkPolicyDirs([pack]))).toThrow(/its output is not one JSON document/);
    expect(() => checkPolicyDirs([pack])).not.toThrow();
  });
});
