/**
 * The local evaluator: one long-lived Python policy-engine worker speaking JSON lines
 * (`python -m posture_engine.worker`). Policies are loaded once; each request carries resources.
 * The worker gets engineEnv(): no caller credentials, no S3 access (an uploaded bundle is watched
 * by ActiveBundleEvaluator and handed over as a file).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Resource } from '#core/resource.ts';
import { engineEnv } from '#core/engine-env.ts';
import type { Evaluator, LookupSource, PolicyResult } from '#core/types.ts';
import { batchBySize } from '#scan/evaluators.ts';
import { evaluateAll } from '#scan/engine-wire.ts';
import { projectRoot, pythonExecutable } from '#core/paths.ts';

export interface WorkerOptions {
  /** Policy directories to load; or `bundleZip`, one bundle file (what `posture upload` evaluates). */
  policyDirs?: string[];
  bundleZip?: string;
  resourceTypes: readonly string[];
  /** Panther-documented types that are not scanned: specs naming them load (panther-types.ts). */
  knownTypes?: readonly string[];
  timeoutSeconds?: number;
  /** Receives the worker's log lines (what policies print, load warnings). */
  onLog?: (line: string) => void;
  /** Engine settings set explicitly (e.g. POSTURE_POLICY_GRACE), on top of the allow-listed environment: never credentials. */
  env?: Record<string, string>;
}

export interface WorkerReady {
  policies: string[];
  errors: string[];
  /** Each enabled policy's ResourceTypes (what a scan checks against the types it scans). */
  targets: Record<string, string[]>;
  /** Each enabled policy's DisplayName (null without one): the scan summary names policies without a second engine run. */
  names: Record<string, string | null>;
  /** Policies the frameworks chosen leave out (disabled at load; absent from older engines). */
  deselected?: string[];
}

type Reply = { id: number; error?: string } & Record<string, unknown>;

export class PythonWorker implements Evaluator {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: unknown) => void; reject: (e: Error) => void }>();
  private exited: Error | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly ready: WorkerReady,
    lines: AsyncIterableIterator<string>,
  ) {
    void this.pump(lines);
  }

  static async start(opts: WorkerOptions): Promise<PythonWorker> {
    const source = opts.bundleZip ? ['--bundle-zip', opts.bundleZip] : ['--policies', ...(opts.policyDirs ?? [])];
    const args = ['-m', 'posture_engine.worker', ...source, '--resource-types', opts.resourceTypes.join(',')];
    if (opts.knownTypes?.length) args.push('--known-types', opts.knownTypes.join(','));
    if (opts.timeoutSeconds) args.push('--timeout', String(opts.timeoutSeconds));
    const child = spawn(pythonExecutable(), args, {
      cwd: projectRoot,
      // Policy code runs in here: an allow-listed environment, no caller credentials (engine-env.ts).
      env: engineEnv({ set: { ...opts.env, PYTHONPATH: join(projectRoot, 'python-runtime'), PYTHONUNBUFFERED: '1' } }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    createInterface({ input: child.stderr }).on('line', (l) => {
      stderr.push(l);
      if (stderr.length > 50) stderr.shift();
      opts.onLog?.(l);
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await Promise.race([
      lines.next(),
      new Promise<never>((_, rej) => child.once('error', (e) => rej(new Error(`cannot start the policy engine: ${e.message}`)))),
    ]);
    if (first.done) {
      throw new Error(`policy engine exited before it was ready: ${stderr.slice(-3).join(' | ') || `exit code ${child.exitCode}`}`);
    }
    const ready = JSON.parse(first.value) as { ready: boolean } & WorkerReady;
    return new PythonWorker(child, { policies: ready.policies, errors: ready.errors, targets: ready.targets ?? {}, names: ready.names ?? {}, deselected: ready.deselected ?? [] }, lines);
  }

  private async pump(lines: AsyncIterableIterator<string>): Promise<void> {
    for await (const line of lines) {
      let reply: Reply;
      try {
        reply = JSON.parse(line) as Reply;
      } catch {
        continue; // not a protocol line
      }
      const w = this.waiting.get(reply.id);
      if (!w) continue;
      this.waiting.delete(reply.id);
      if (reply.error) w.reject(new Error(`policy engine: ${reply.error}`));
      else w.resolve(reply);
    }
    this.exited = new Error(`policy engine exited (code ${this.child.exitCode ?? 'unknown'})`);
    for (const w of this.waiting.values()) w.reject(this.exited);
    this.waiting.clear();
  }

  private request(resources: readonly Resource[], lookups?: Record<string, Resource | null>): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin.write(JSON.stringify({ id, resources, ...(lookups ? { lookups } : {}) }) + '\n');
    });
  }

  async evaluate(resources: readonly Resource[], lookups?: LookupSource): Promise<PolicyResult[]> {
    const out: PolicyResult[] = [];
    for (const batch of batchBySize(resources)) out.push(...(await evaluateAll(batch, (rest, supplied) => this.request(rest, supplied), lookups)));
    return out;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((res) => {
      this.child.once('exit', () => res());
      this.child.stdin.end();
      setTimeout(() => this.child.kill('SIGKILL'), 3000).unref();
    });
  }
}
