/**
 * The local runtime's evaluator: the built-in worker (policy directories), replaced by a worker on
 * the uploaded bundle while `posture upload --endpoint` has published one — the same contract as
 * the deployed engine's watcher (python-runtime/posture_engine/active_bundle.py): the active key
 * is listed at most once per TTL, downloaded only when its ETag changed; an absent key means the
 * built-in pack; a broken upload or an S3 failure keeps the loaded bundle (logged), and with none
 * loaded the error propagates and the next evaluation retries.
 *
 * The watching happens here, in TypeScript, so that the Python worker — which runs policy code —
 * gets no S3 endpoint, bucket or credentials at all (src/core/engine-env.ts): the bundle reaches
 * it as a file it reads once at start-up.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { describeError } from '#core/errors.ts';
import type { Evaluator, LookupSource, PolicyResult } from '#core/types.ts';
import type { Resource } from '#core/resource.ts';
import type { Log } from '#scan/deps.ts';
import { ACTIVE_BUNDLE_KEY } from '#publish/active-bundle.ts';
import type { PythonWorker } from './python-worker.ts';

export interface ActiveBundleEvaluatorOptions {
  s3: S3Client;
  bucket: string;
  key?: string;
  /** Seconds between checks of the key (0: before every evaluation). */
  ttlSeconds: number;
  /** The worker on the policy directories, used while nothing is uploaded. */
  builtIn: PythonWorker;
  /** Starts a worker on one bundle file. */
  startBundle(zipPath: string): Promise<PythonWorker>;
  log: Log;
  now?: () => number;
}

interface Loaded {
  etag: string;
  worker: PythonWorker;
}

export class ActiveBundleEvaluator implements Evaluator {
  private loaded: Loaded | undefined;
  private checkedAt: number | undefined;
  private refreshing: Promise<void> | undefined;
  /** Evaluations in flight per worker: a replaced worker stops once its own are answered. */
  private readonly inFlight = new Map<PythonWorker, Set<Promise<unknown>>>();
  private readonly key: string;

  constructor(private readonly opts: ActiveBundleEvaluatorOptions) {
    this.key = opts.key ?? ACTIVE_BUNDLE_KEY;
  }

  private get where(): string {
    return `s3://${this.opts.bucket}/${this.key}`;
  }

  async evaluate(resources: readonly Resource[], lookups?: LookupSource): Promise<PolicyResult[]> {
    const now = (this.opts.now ?? Date.now)();
    if (this.checkedAt === undefined || now - this.checkedAt >= this.opts.ttlSeconds * 1000) {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
      await this.refreshing;
      this.checkedAt = now;
    }
    const worker = this.loaded?.worker ?? this.opts.builtIn;
    const pending = worker.evaluate(resources, lookups);
    const set = this.inFlight.get(worker) ?? new Set();
    this.inFlight.set(worker, set.add(pending));
    try {
      return await pending;
    } finally {
      set.delete(pending);
    }
  }

  private async listedEtag(): Promise<string | undefined> {
    const r = await this.opts.s3.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: this.key, MaxKeys: 1 }));
    const item = (r.Contents ?? []).find((c) => c.Key === this.key);
    return item ? (item.ETag ?? '') : undefined;
  }

  private async refresh(): Promise<void> {
    let etag: string | undefined;
    let next: PythonWorker;
    try {
      etag = await this.listedEtag();
      if (etag === undefined) {
        if (this.loaded) this.opts.log.info(`posture: ${this.where} was removed; using the built-in bundle`);
        this.retire(this.loaded?.worker);
        this.loaded = undefined;
        return;
      }
      if (etag === this.loaded?.etag) return; // the loaded copy is current: nothing downloaded
      const object = await this.opts.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.key }));
      const bytes = await object.Body!.transformToByteArray();
      etag = object.ETag ?? etag;
      const dir = await mkdtemp(join(tmpdir(), 'posture-active-bundle-'));
      try {
        const file = join(dir, 'active.zip');
        await writeFile(file, bytes);
        next = await this.opts.startBundle(file); // the worker has read the file once it is ready
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } catch (err) {
      if ((err as Error).name === 'NoSuchKey') {
        // Deleted between the list and the GET.
        this.retire(this.loaded?.worker);
        this.loaded = undefined;
        return;
      }
      if (!this.loaded) throw err;
      this.opts.log.warn(`posture: keeping the loaded bundle: cannot load ${this.where}: ${describeError(err)}`);
      return;
    }
    for (const e of next.ready.errors) this.opts.log.warn(`posture: policy not loaded: ${e}`);
    this.opts.log.info(`posture: loaded uploaded bundle from ${this.where}: ${next.ready.policies.length} enabled policies`);
    this.retire(this.loaded?.worker);
    this.loaded = { etag, worker: next };
  }

  /** Stops a replaced worker once the evaluations it is answering are done. */
  private retire(worker: PythonWorker | undefined): void {
    if (!worker) return;
    const pending = [...(this.inFlight.get(worker) ?? [])];
    this.inFlight.delete(worker);
    void Promise.allSettled(pending).then(() => worker.stop());
  }

  /** Stops the uploaded bundle's worker (the built-in one belongs to the caller). */
  async stop(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
    const w = this.loaded?.worker;
    this.loaded = undefined;
    await w?.stop();
  }
}
