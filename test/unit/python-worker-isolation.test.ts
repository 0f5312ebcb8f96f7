import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Resource } from '#core/resource.ts';
import { projectRoot } from '../../src/core/paths.ts';
import { PythonWorker } from '../../src/local/python-worker.ts';

// Hostile policies from the engine's test pack, next to a well-behaved one.
const HOSTILE = join(projectRoot, 'python-runtime/tests/hostile_policies');
const dir = mkdtempSync(join(tmpdir(), 'posture-worker-'));
const pack = join(dir, 'worker_policies');

function bucket(name: string, extra: Record<string, unknown> = {}): Resource {
  const arn = `arn:aws:s3:::${name}`;
  return { ResourceId: arn, ResourceType: 'AWS.S3.Bucket', Arn: arn, Name: name, AccountId: '123456789012', Region: 'us-east-1', EncryptionRules: null, ...extra } as unknown as Resource;
}

describe('the local policy worker with hostile policies', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers every request: a policy that exits or hangs gets ERROR, the others their verdicts', async () => {
    mkdirSync(pack);
    for (const name of ['os_exit', 'c_loop', 'print_garbage', 'close_stdout', 'patch_len']) {
      for (const ext of ['.py', '.yml']) copyFileSync(join(HOSTILE, name + ext), join(pack, name + ext));
    }
    writeFileSync(join(pack, 'encryption.py'), "def policy(resource):\n    return resource.get('EncryptionRules') is not None\n");
    writeFileSync(
      join(pack, 'encryption.yml'),
      'AnalysisType: policy\nFilename: encryption.py\nPolicyID: Test.Encryption\nResourceTypes: [AWS.S3.Bucket]\nSeverity: High\n',
    );
    const logs: string[] = [];
    const worker = await PythonWorker.start({
      policyDirs: [pack],
      resourceTypes: ['AWS.S3.Bucket', 'AWS.EC2.SecurityGroup'],
      timeoutSeconds: 0.3,
      env: { POSTURE_POLICY_GRACE: '0.5' },
      onLog: (line) => logs.push(line),
    });
    try {
      expect(worker.ready.policies).toEqual([
        'AA.Hostile.CLoop', 'AA.Hostile.CloseStdout', 'AA.Hostile.OsExit', 'AA.Hostile.PatchLen', 'AA.Hostile.PrintGarbage', 'Test.Encryption',
      ]);
      const shown = (results: Awaited<ReturnType<PythonWorker['evaluate']>>) =>
        Object.fromEntries(results.map((r) => [`${r.policyId} ${r.resourceId.split(':').pop()}`, r.errorMessage ?? r.status]));

      const first = shown(await worker.evaluate([bucket('plain'), bucket('enc', { EncryptionRules: [{}] })]));
      expect(first['AA.Hostile.OsExit plain']).toMatch(/^WorkerExited: the worker exited with code 1 while evaluating policy AA.Hostile.OsExit/);
      expect(first['AA.Hostile.CLoop plain']).toMatch(/^WorkerKilled: wall-clock deadline 0.8s exceeded while evaluating policy AA.Hostile.CLoop/);
      expect(first['AA.Hostile.CLoop enc']).toMatch(/^WorkerKilled: not evaluated/);
      expect(first['AA.Hostile.PatchLen plain']).toBe("IsolationError: policy changed shared state: builtins: 'len' replaced");
      expect(first['AA.Hostile.PrintGarbage plain']).toBe('PASS');
      expect(first['AA.Hostile.CloseStdout enc']).toBe('PASS');
      expect(first['Test.Encryption plain']).toBe('FAIL');
      expect(first['Test.Encryption enc']).toBe('PASS');

      // A later request is served as usual.
      const second = shown(await worker.evaluate([bucket('again')]));
      expect(second['Test.Encryption again']).toBe('FAIL');
      expect(second['AA.Hostile.OsExit again']).toMatch(/^WorkerExited:/);
      expect(logs.some((line) => line.includes('}{ not json'))).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
