/**
 * bench:peers' counting proxy in front of the estate's moto server: every tool reaches the estate
 * through it, so the requests each one makes (per SigV4 service, and those moto answered with an
 * error) and the wall time moto spent with at least one of them in flight are measured the same
 * way for all three. (test/helpers/fault-proxy.ts injects faults; this one only measures.)
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyStats {
  requests: number;
  /** Answered with HTTP ≥ 400 (moto's missing APIs answer 500 or 501). */
  errors: number;
  byService: Record<string, number>;
  /** Seconds during which moto was serving at least one request of the tool. */
  busySeconds: number;
}

export interface CountingProxy {
  endpoint: string;
  /** The figures since the last take(), and a fresh start. */
  take(): ProxyStats;
  close(): Promise<void>;
}

const serviceOf = (auth: string | undefined): string => /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(auth ?? '')?.[1] ?? 'unsigned';

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const fresh = (): ProxyStats => ({ requests: 0, errors: 0, byService: {}, busySeconds: 0 });
  let stats = fresh();
  let inFlight = 0;
  let busySince = 0n;
  const server = createServer((req, res) => {
    const service = serviceOf(req.headers.authorization);
    stats.requests++;
    stats.byService[service] = (stats.byService[service] ?? 0) + 1;
    if (inFlight++ === 0) busySince = process.hrtime.bigint();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (--inFlight === 0) stats.busySeconds += Number(process.hrtime.bigint() - busySince) / 1e9;
    };
    const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
      if ((ur.statusCode ?? 502) >= 400) stats.errors++;
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
      ur.on('end', finish);
    });
    up.on('error', (e) => {
      finish();
      stats.errors++;
      res.writeHead(502).end(String(e));
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take() {
      const out = stats;
      stats = fresh();
      return { ...out, busySeconds: Number(out.busySeconds.toFixed(2)) };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
