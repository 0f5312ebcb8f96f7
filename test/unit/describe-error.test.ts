/**
 * Errors say what went wrong: an SDK error without an AWS error code names the call and the HTTP
 * status (not the SDK's `Unknown: UnknownError`), coded errors keep their code, and an endpoint
 * where nothing listens is "cannot reach", not a credentials problem. The 404-without-a-body
 * answer is served by a local HTTP server: that is what moto 5.2.6 answered the SDK's CloudTrail
 * calls, which the pinned moto (and its patched launcher) no longer does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.ts';
import { classifyError, describeError, operationOf, unreachableCode } from '../../src/core/errors.ts';
import { runScan, ScanUsageError } from '../../src/cli/scan.ts';

let server: Server;
let endpoint: string;

beforeAll(async () => {
  // DescribeTrails naming a trail: a coded error; without: moto 5.2.6's empty 404.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (!body.includes('trailNameList')) res.writeHead(404).end();
      else res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'TrailNotFoundException', message: 'Unknown trail: nope' }));
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((res) => server.close(() => res())));

const clients = () => createClients({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });

describe('describeError', () => {
  it('names the call and the HTTP status of an answer without an AWS error code', async () => {
    const err = await clients().get(CloudTrailClient).send(new DescribeTrailsCommand({})).catch((e: unknown) => e);
    expect(operationOf(err)).toBe('cloudtrail:DescribeTrails');
    expect(describeError(err)).toBe("HTTP 404 from cloudtrail:DescribeTrails without an AWS error code (the endpoint's answer could not be read as an AWS error)");
    expect(classifyError(err)).toBe('ERROR');
  });

  it('keeps the name the SDK derives from the status (S3 HEAD answers have no body)', async () => {
    const err = await clients().get(S3Client).send(new HeadBucketCommand({ Bucket: 'b' })).catch((e: unknown) => e);
    expect(describeError(err)).toBe("HTTP 404 (NotFound) from s3:HeadBucket without an AWS error code (the endpoint's answer could not be read as an AWS error)");
  });

  it('keeps an AWS error code and message as they are', async () => {
    const err = await clients().get(CloudTrailClient).send(new DescribeTrailsCommand({ trailNameList: ['nope'] })).catch((e: unknown) => e);
    expect(describeError(err)).toBe('TrailNotFoundException: Unknown trail: nope');
  });

  it('tells a connection failure from any other error', async () => {
    const err = await createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
      .get(CloudTrailClient)
      .send(new DescribeTrailsCommand({}))
      .catch((e: unknown) => e);
    expect(unreachableCode(err)).toBe('ECONNREFUSED');
    expect(unreachableCode(new Error('AccessDenied'))).toBeUndefined();
  });
});

describe('posture scan at an endpoint where nothing listens', () => {
  it('says it cannot reach it, not that the credentials are wrong', async () => {
    const set = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1' };
    const saved = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
    Object.assign(process.env, set);
    try {
      const err = await runScan({ out: '/tmp/posture-unreachable-scan', types: 'AWS.S3.Bucket' }, { print: () => {}, printJson: () => {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScanUsageError);
      expect((err as Error).message).toBe('cannot reach http://127.0.0.1:1 (AWS_ENDPOINT_URL): ECONNREFUSED; nothing answers there, so no credentials could be checked');
    } finally {
      // Restored key by key (process.env stays Node's own object: this file's worker runs other files after it).
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }, 60_000);
});
