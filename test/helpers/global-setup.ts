/** Starts one real moto server for the whole vitest run and hands its endpoint to the tests. */
import type { TestProject } from 'vitest/node';
import { startEmulator, type Emulator } from '../../src/local/emulator.ts';

let emulator: Emulator | undefined;

export async function setup(project: TestProject): Promise<void> {
  emulator = await startEmulator();
  project.provide('motoEndpoint', emulator.endpoint);
}

export async function teardown(): Promise<void> {
  await emulator?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
