/**
 * The embedded AWS emulator: moto server on a free loopback port, from the project's .venv.
 * Started by the local runtime, the demo and the integration tests' global setup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot, pythonExecutable } from '#core/paths.ts';

export interface Emulator {
  endpoint: string;
  /** The server's process ID (benches read its memory). */
  pid: number;
  /** Wipes all emulated state (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto server exited with code ${child.exitCode}: ${stderr().trim().split('\n').slice(-3).join(' | ')}`);
    }
    try {
      const r = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto server did not answer on ${endpoint} within ${timeoutMs / 1000}s`);
}

export interface EmulatorOptions {
  timeoutMs?: number;
  /** Extra environment of the server (e.g. POSTURE_LAMBDA_ROUTER: see moto_server.py). */
  env?: Record<string, string>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const python = pythonExecutable();
  // moto.server with cheaper DynamoDB transactions (see moto_server.py).
  const child = spawn(python, [join(projectRoot, 'src/local/moto_server.py'), '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_EC2_LOAD_DEFAULT_AMIS: 'false',
      // AWS-managed policies (SecurityAudit, AdministratorAccess) exist only when asked for.
      MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
      // Where moto's Step Functions interpreter sends its own AWS calls when it makes them over HTTP (default 5000).
      MOTO_PORT: String(port),
      ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
    // POSTURE_EMULATOR_LOG=1 shows the emulator's own log (its tracebacks explain HTTP 500s).
    if (process.env.POSTURE_EMULATOR_LOG === '1') process.stderr.write(d);
  });
  const spawnError = new Promise<never>((_, rej) =>
    child.once('error', (e) => rej(new Error(`cannot start moto server with ${python}: ${e.message} (run npm ci to create .venv)`))),
  );
  await Promise.race([waitUntilUp(endpoint, child, () => err, opts.timeoutMs ?? 30_000), spawnError]).catch((e) => {
    child.kill('SIGKILL');
    throw e;
  });

  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  return {
    endpoint,
    pid: child.pid!,
    async reset() {
      const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!r.ok) throw new Error(`moto reset failed: HTTP ${r.status}`);
    },
    async stop() {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null) return;
      await new Promise<void>((res) => {
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}
