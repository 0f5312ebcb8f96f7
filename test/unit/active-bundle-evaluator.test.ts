/** The local runtime watches the uploaded bundle in TypeScript (the worker holds no S3 access). */
import { existsSync, readFileSync } from 'node:fs';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { PolicyResult } from '../../src/core/types.ts';
import { ActiveBundleEvaluator } from '../../src/local/active-bundle-evaluator.ts';
import type { PythonWorker } from '../../src/local/python-worker.ts';
import type { Resource } from '../../src/core/resource.ts';

interface FakeWorker {
  name: string;
  stopped: boolean;
  ready: { policies: string[]; errors: string[] };
  evaluate(r: readonly Resource[]): Promise<PolicyResult[]>;
  stop(): Promise<void>;
}

function worker(name: string, errors: string[] = []): FakeWorker & PythonWorker {
  const w: FakeWorker = {
    name,
    stopped: false,
    ready: { policies: ['P'], errors },
    evaluate: async () => [{ policyId: name } as PolicyResult],
    async stop() {
      w.stopped = true;
    },
  };
  return w as FakeWorker & PythonWorker;
}

/** An S3 holding at most one object at the active key. */
function fakeS3() {
  const state: { object?: { etag: string; body: string }; fail?: Error; lists: number; gets: number } = { lists: 0, gets: 0 };
  const s3 = {
    send: async (cmd: unknown) => {
      if (state.fail) throw state.fail;
      if (cmd instanceof ListObjectsV2Command) {
        state.lists++;
        return { Contents: state.object ? [{ Key: 'policies/active.zip', ETag: state.object.etag }] : [] };
      }
      if (cmd instanceof GetObjectCommand) {
        state.gets++;
        if (!state.object) throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
        const body = state.object.body;
        return { ETag: state.object.etag, Body: { transformToByteArray: async () => Buffer.from(body) } };
      }
      throw new Error('unexpected command');
    },
  } as unknown as S3Client;
  return { s3, state };
}

function setup(ttlSeconds = 0) {
  const { s3, state } = fakeS3();
  const builtIn = worker('built-in');
  const started: (FakeWorker & PythonWorker)[] = [];
  const logs: string[] = [];
  let clock = 0;
  const files: string[] = [];
  const ev = new ActiveBundleEvaluator({
    s3,
    bucket: 'b',
    ttlSeconds,
    builtIn,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    now: () => clock,
    startBundle: async (zip) => {
      files.push(zip);
      const body = readFileSync(zip, 'utf8');
      if (body === 'broken') throw new Error('policy engine exited before it was ready: BadZipFile');
      const w = worker(`bundle:${body}`);
      started.push(w);
      return w;
    },
  });
  const who = async () => (await ev.evaluate([]))[0]!.policyId;
  return { ev, state, builtIn, started, logs, files, who, tick: (ms: number) => (clock += ms) };
}

describe('ActiveBundleEvaluator', () => {
  it('uses the built-in worker until a bundle is uploaded, then a worker on the bundle file (removed after start)', async () => {
    const t = setup();
    expect(await t.who()).toBe('built-in');
    t.state.object = { etag: '"1"', body: 'v1' };
    expect(await t.who()).toBe('bundle:v1');
    expect(t.files).toHaveLength(1);
    expect(existsSync(t.files[0]!)).toBe(false);
    expect(t.logs).toContain('posture: loaded uploaded bundle from s3://b/policies/active.zip: 1 enabled policies');
    // Unchanged ETag: listed, not downloaded again.
    expect(await t.who()).toBe('bundle:v1');
    expect(t.state.gets).toBe(1);
    // A new upload replaces (and stops) the previous bundle's worker.
    t.state.object = { etag: '"2"', body: 'v2' };
    expect(await t.who()).toBe('bundle:v2');
    await new Promise((r) => setImmediate(r));
    expect(t.started[0]!.stopped).toBe(true);
    // Removed: back to the built-in pack.
    t.state.object = undefined;
    expect(await t.who()).toBe('built-in');
    await new Promise((r) => setImmediate(r));
    expect(t.started[1]!.stopped).toBe(true);
    expect(t.builtIn.stopped).toBe(false);
  });

  it('keeps a loaded bundle when an upload is broken or S3 fails; with none loaded the error propagates', async () => {
    const t = setup();
    t.state.fail = new Error('AccessDenied');
    await expect(t.ev.evaluate([])).rejects.toThrow('AccessDenied');
    t.state.fail = undefined;
    t.state.object = { etag: '"1"', body: 'broken' };
    await expect(t.ev.evaluate([])).rejects.toThrow('BadZipFile');
    t.state.object = { etag: '"2"', body: 'good' };
    expect(await t.who()).toBe('bundle:good');
    t.state.object = { etag: '"3"', body: 'broken' };
    expect(await t.who()).toBe('bundle:good');
    t.state.fail = new Error('SlowDown');
    expect(await t.who()).toBe('bundle:good');
    expect(t.logs.filter((l) => l.startsWith('posture: keeping the loaded bundle'))).toHaveLength(2);
    await t.ev.stop();
    expect(t.started[0]!.stopped).toBe(true);
  });

  it('checks the key at most once per TTL, once for concurrent evaluations', async () => {
    const t = setup(30);
    await Promise.all([t.who(), t.who(), t.who()]);
    expect(t.state.lists).toBe(1);
    t.state.object = { etag: '"1"', body: 'v1' };
    t.tick(29_000);
    expect(await t.who()).toBe('built-in');
    t.tick(1_000);
    expect(await t.who()).toBe('bundle:v1');
    expect(t.state.lists).toBe(2);
  });
});
