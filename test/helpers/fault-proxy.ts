/**
 * A fault-injecting HTTP proxy in front of moto server. It tells the AWS service from the SigV4
 * credential scope and answers faults in that service's own protocol, so the real SDK parses
 * them as AWS would send them: throttling, AccessDenied, or a request that hangs.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'throttle' | 'deny' | 'hang';

export interface FaultRule {
  kind: FaultKind;
  /** SigV4 service name (ec2, iam, s3, sts, dynamodb…); undefined = any. */
  service?: string;
  /** Fraction of matching requests that fail (default 1). */
  probability?: number;
  /** Fail at most this many matching requests (default unlimited). */
  times?: number;
  /** Only requests whose body matches (e.g. one STS AssumeRole by its RoleArn); default any. */
  body?: RegExp;
}

export interface FaultProxy {
  endpoint: string;
  rules: FaultRule[];
  stats: { forwarded: number; injected: Record<FaultKind, number>; byService: Record<string, number> };
  close(): Promise<void>;
}

const serviceOf = (req: IncomingMessage): string => /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unknown';

/** Query-protocol services answer XML error documents; JSON-protocol ones a __type body; S3 its own XML. */
function faultResponse(service: string, kind: 'throttle' | 'deny', jsonProtocol: boolean): { status: number; type: string; body: string } {
  const code = kind === 'throttle' ? { ec2: 'RequestLimitExceeded', s3: 'SlowDown', json: 'ThrottlingException', query: 'Throttling' } : { ec2: 'UnauthorizedOperation', s3: 'AccessDenied', json: 'AccessDeniedException', query: 'AccessDenied' };
  const message = kind === 'throttle' ? 'Rate exceeded' : `User is not authorized to perform this ${service} action (injected)`;
  const status = kind === 'throttle' ? (service === 's3' || service === 'ec2' ? 503 : 400) : 403;
  if (jsonProtocol) return { status: kind === 'throttle' ? 400 : 400, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: code.json, message }) };
  if (service === 's3') return { status, type: 'application/xml', body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code.s3}</Code><Message>${message}</Message><RequestId>fault</RequestId></Error>` };
  if (service === 'ec2') return { status, type: 'text/xml', body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code.ec2}</Code><Message>${message}</Message></Error></Errors><RequestID>fault</RequestID></Response>` };
  return { status, type: 'text/xml', body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code.query}</Code><Message>${message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>` };
}

export async function startFaultProxy(target: string, rules: FaultRule[] = []): Promise<FaultProxy> {
  const upstream = new URL(target);
  const stats: FaultProxy['stats'] = { forwarded: 0, injected: { throttle: 0, deny: 0, hang: 0 }, byService: {} };
  const hanging = new Set<ServerResponse>();
  const proxy: FaultProxy = { endpoint: '', rules, stats, close: async () => {} };

  const server: Server = createServer((req, res) => {
    const service = serviceOf(req);
    stats.byService[service] = (stats.byService[service] ?? 0) + 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rule = proxy.rules.find(
        (r) =>
          (!r.service || r.service === service) &&
          (r.times === undefined || r.times > 0) &&
          (!r.body || r.body.test(body.toString('utf8'))) &&
          Math.random() < (r.probability ?? 1),
      );
      if (rule) {
        if (rule.times !== undefined) rule.times--;
        stats.injected[rule.kind]++;
        if (rule.kind === 'hang') {
          hanging.add(res); // never answered: the client's request timeout must cut it
          res.on('close', () => hanging.delete(res));
          return;
        }
        const f = faultResponse(service, rule.kind, Boolean(req.headers['x-amz-target']));
        res.writeHead(f.status, { 'content-type': f.type, 'x-amzn-requestid': 'fault' }).end(f.body);
        return;
      }
      stats.forwarded++;
      const up = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
        },
      );
      up.on('error', (e) => res.writeHead(502).end(String(e)));
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((r) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}
