/**
 * The rehearsal's one synth and its emulator (test/deployed/README.md):
 * - `cdk synth` of the stack users deploy (the default synthesizer, real esbuild bundles, the real
 *   policy layer and bundle, cdk-nag) into a temporary cdk.out;
 * - a moto server of its own, with Lambda Invoke forwarded to the rehearsal's runtimes (the router
 *   port is reserved here and listened on by the test file), queue URLs on the rehearsal's
 *   recording proxy (launcher patch 9), Step Functions executions run by
 *   moto's ASL interpreter, and the interpreter's Retry waits scaled down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp, STACK_NAME } from '../../lib/app.ts';
import { freePort, startEmulator, type Emulator } from '../../src/local/emulator.ts';
import { REHEARSAL_CONTEXT, SFN_TIME_SCALE } from './rehearsal/context.ts';

let emulator: Emulator | undefined;
let outdir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  outdir = mkdtempSync(join(tmpdir(), 'posture-rehearsal-cdk-'));
  const started = Date.now();
  buildApp({ outdir, context: REHEARSAL_CONTEXT }).app.synth();
  const synthMs = Date.now() - started;
  console.log(`test:deployed: cdk synth with bundling and cdk-nag took ${(synthMs / 1000).toFixed(1)} s`);

  const routerPort = await freePort();
  const queueHostPort = await freePort();
  emulator = await startEmulator({
    env: {
      POSTURE_LAMBDA_ROUTER: `http://127.0.0.1:${routerPort}`,
      POSTURE_SQS_URL_BASE: `http://127.0.0.1:${queueHostPort}`,
      POSTURE_SFN_TIME_SCALE: String(SFN_TIME_SCALE),
    },
  });
  const r = await fetch(`${emulator.endpoint}/moto-api/config`, { method: 'POST', body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
  if (!r.ok) throw new Error(`moto config: HTTP ${r.status}`);

  project.provide('motoEndpoint', emulator.endpoint);
  project.provide('rehearsal', { assemblyDir: outdir, stackName: STACK_NAME, routerPort, queueHostPort, synthMs });
}

export async function teardown(): Promise<void> {
  await emulator?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
    rehearsal: { assemblyDir: string; stackName: string; routerPort: number; queueHostPort: number; synthMs: number };
  }
}
