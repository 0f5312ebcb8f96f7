/**
 * The log-file source's pure parts: which S3 keys are CloudTrail log files (and whose), what an S3
 * notification on its queue says, how a gzip log file is cut into records, and how a forwarded
 * record parses and is trusted on the realtime path.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseLogKey } from '../../src/events/cloudtrail-key.ts';
import { parseMessage } from '../../src/events/envelope.ts';
import { logRecords, MalformedLogFile } from '../../src/events/log-records.ts';
import { parseS3Notification } from '../../src/events/s3-notification.ts';
import { trustRejection } from '../../src/events/trust.ts';

const ACCOUNT = '111122223333';

describe('CloudTrail log file keys', () => {
  it('accepts account and organization trail keys, with or without a prefix', () => {
    expect(parseLogKey(`AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2026/12/05/${ACCOUNT}_CloudTrail_eu-west-1_20261205T1305Z_AbCdEf0123456789.json.gz`)).toEqual({
      logFile: { prefix: '', account: ACCOUNT, region: 'eu-west-1', day: '2026/12/05' },
    });
    expect(parseLogKey(`org-trail/logs/AWSLogs/o-a1b2c3d4e5/${ACCOUNT}/CloudTrail/us-gov-west-1/2026/01/31/${ACCOUNT}_CloudTrail_us-gov-west-1_20260131T2355Z_x.json.gz`)).toEqual({
      logFile: { prefix: 'org-trail/logs', organizationId: 'o-a1b2c3d4e5', account: ACCOUNT, region: 'us-gov-west-1', day: '2026/01/31' },
    });
  });

  it('skips digest and Insights files, and names them', () => {
    const digest = parseLogKey(`AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20261205T130500Z.json.gz`);
    expect(digest).toEqual({ skipped: 'digest', reason: expect.stringContaining('a CloudTrail digest file') });
    const insight = parseLogKey(`p/AWSLogs/o-a1b2c3d4e5/${ACCOUNT}/CloudTrail-Insight/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail-Insight_us-east-1_20261205T1305Z_x.json.gz`);
    expect(insight).toMatchObject({ skipped: 'insight' });
  });

  it.each([
    ['another object', 'reports/summary.csv'],
    ['the file name of another account', `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/05/999988887777_CloudTrail_us-east-1_20261205T1305Z_x.json.gz`],
    ['the file name of another region', `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail_eu-west-1_20261205T1305Z_x.json.gz`],
    ['a short account', `AWSLogs/12345/CloudTrail/us-east-1/2026/12/05/12345_CloudTrail_us-east-1_20261205T1305Z_x.json.gz`],
    ['not gzip', `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail_us-east-1_20261205T1305Z_x.json`],
    ['a bad organization ID', `AWSLogs/org-1/${ACCOUNT}/CloudTrail/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail_us-east-1_20261205T1305Z_x.json.gz`],
    ['a path in the file name', `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail_us-east-1_a/b.json.gz`],
    ['no day', `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/${ACCOUNT}_CloudTrail_us-east-1_20261205T1305Z_x.json.gz`],
  ])('refuses %s', (_what, key) => {
    expect(parseLogKey(key)).toEqual({ skipped: 'notLogFile', reason: expect.stringContaining('not a CloudTrail log file key') });
  });
});

describe('S3 notifications', () => {
  const direct = (key: string, eventName = 'ObjectCreated:Put') => JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName, s3: { bucket: { name: 'trail-bucket' }, object: { key } } }] });

  it('reads direct notifications, decoding the key (+ is a space)', () => {
    expect(parseS3Notification(direct('my+logs/AWSLogs/%C3%A9t%C3%A9.json.gz'))).toEqual({ objects: [{ bucket: 'trail-bucket', key: 'my logs/AWSLogs/été.json.gz' }] });
  });

  it('reads EventBridge Object Created events, key as given', () => {
    const body = JSON.stringify({ 'detail-type': 'Object Created', source: 'aws.s3', account: ACCOUNT, detail: { bucket: { name: 'b1' }, object: { key: 'a+b/AWSLogs/x' } } });
    expect(parseS3Notification(body)).toEqual({ objects: [{ bucket: 'b1', key: 'a+b/AWSLogs/x' }] });
  });

  it('recognises S3\'s test event', () => {
    expect(parseS3Notification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-12-05T13:00:00Z', Bucket: 'b' }))).toEqual({ test: true });
  });

  it('refuses anything else with one line', () => {
    expect(() => parseS3Notification('{oops')).toThrow(/^notification is not JSON: /);
    expect(() => parseS3Notification(direct('k', 'ObjectRemoved:Delete'))).toThrow(/^not an S3 object-created notification \(S3 notification: Records\.0\.eventName: must be an ObjectCreated:\* event\)$/);
    expect(() => parseS3Notification(JSON.stringify({ 'detail-type': 'Object Deleted', source: 'aws.s3', detail: {} }))).toThrow(/EventBridge S3 event: detail-type/);
    expect(() => parseS3Notification(direct('%E0%A4%A'))).toThrow(/not a URL-encoded key/);
    for (const body of ['{"a":1}', 'null', '[]']) expect(() => parseS3Notification(body)).toThrow(/^not an S3 object-created notification/);
  });
});

async function* chunks(buf: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function all(buf: Buffer, size = 7): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const r of logRecords(chunks(buf, size))) out.push(r);
  return out;
}

describe('log file records', () => {
  it('cuts records out across chunk boundaries, strings with braces, escapes and multibyte characters included', async () => {
    const records = [
      { eventID: 'a', requestParameters: { policy: '{"Statement":[{"Effect":"Allow"}]}', note: 'quote \\" and ] } [ {' } },
      { eventID: 'b', userAgent: 'ünïcødé ✓ 🚀', nested: [[1, 2], { x: [] }] },
      { eventID: 'c' },
    ];
    // Other top-level keys before and after Records are ignored, arrays of them too.
    const text = `{"version":"1","other":[{"eventID":"not-a-record"}],"Records":${JSON.stringify(records, null, 1)},"tail":{"Records":[{"eventID":"nested"}]}}`;
    for (const size of [1, 3, 7, 64, 1 << 20]) expect(await all(gzipSync(Buffer.from(text)), size)).toEqual(records);
  });

  it('streams a file of several MB', async () => {
    const record = { eventID: 'x', requestParameters: { blob: 'y'.repeat(2_000) } };
    const text = JSON.stringify({ Records: Array.from({ length: 3_000 }, (_, i) => ({ ...record, eventID: `e${i}` })) });
    expect(text.length).toBeGreaterThan(6_000_000);
    const got = await all(gzipSync(Buffer.from(text)), 64 * 1024);
    expect(got).toHaveLength(3_000);
    expect((got[2_999] as { eventID: string }).eventID).toBe('e2999');
  });

  it.each([
    ['not gzip', Buffer.from('{"Records":[]}'), /not a gzip file/],
    ['not an object', gzipSync('[{"eventID":"a"}]'), /the JSON is not an object/],
    ['truncated', gzipSync('{"Records":[{"eventID":"a"},{"eventID"'), /ends early/],
    ['no Records', gzipSync('{"records":[]}'), /no Records array/],
    ['a non-object record', gzipSync('{"Records":[1]}'), /a Records element is not an object/],
    ['a record that is not JSON', gzipSync('{"Records":[{"a":tru}]}'), /a record is not JSON/],
  ])('refuses a file that is %s', async (_what, buf, reason) => {
    const err = await all(buf).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedLogFile);
    expect((err as Error).message).toMatch(reason);
  });
});

describe('forwarded log records on the realtime path', () => {
  const message = (detail: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    JSON.stringify({
      posture: 'cloudtrail-log',
      bucket: 'trail-bucket',
      key: `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/12/05/${ACCOUNT}_CloudTrail_us-east-1_20261205T1305Z_x.json.gz`,
      account: ACCOUNT,
      region: 'us-east-1',
      detail: { eventID: 'e-1', eventName: 'AuthorizeSecurityGroupIngress', eventSource: 'ec2.amazonaws.com', eventTime: '2026-12-05T13:01:00Z', awsRegion: 'us-east-1', recipientAccountId: ACCOUNT, ...detail },
      ...over,
    });

  it('parse to the same CloudTrailEvent, marked with their origin; deferred ones too', () => {
    const { event, settled } = parseMessage(message({ requestParameters: { groupId: 'sg-1' } }));
    expect(settled).toBe(false);
    expect(event).toMatchObject({ account: ACCOUNT, source: 'aws.ec2', region: 'us-east-1', detail: { eventID: 'e-1', requestParameters: { groupId: 'sg-1' } } });
    expect(event.via).toEqual({ source: 'cloudtrail-s3', bucket: 'trail-bucket', key: expect.stringContaining('AWSLogs/') });
    expect(trustRejection(event)).toBeUndefined();
    expect(parseMessage(JSON.stringify({ settled: true, event: JSON.parse(message({})) }))).toMatchObject({ settled: true, event: { via: { source: 'cloudtrail-s3' } } });
  });

  it('EventBridge messages are marked as such', () => {
    const body = JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ec2', account: ACCOUNT, region: 'us-east-1', detail: JSON.parse(message({})).detail });
    expect(parseMessage(body).event.via).toEqual({ source: 'eventbridge' });
  });

  it('need recipientAccountId equal to the key\'s account (the aws.* source check does not apply)', () => {
    const missing = trustRejection(parseMessage(message({ recipientAccountId: undefined })).event);
    expect(missing).toEqual({ reason: 'accountMismatch', message: expect.stringMatching(/^event e-1 \(ec2\.amazonaws\.com AuthorizeSecurityGroupIngress\) from s3:\/\/trail-bucket\/AWSLogs\/.*: detail\.recipientAccountId \(missing\) is not the log file's account \(111122223333\)$/) });
    expect(trustRejection(parseMessage(message({ recipientAccountId: '999988887777' })).event)?.reason).toBe('accountMismatch');
  });

  it('malformed ones name the field', () => {
    expect(() => parseMessage(message({}, { account: 'me' }))).toThrow(/^event e-1: account: must be the 12-digit account of the object key$/);
    expect(() => parseMessage(message({ eventID: '' }))).toThrow(/^event : detail\.eventID: /);
  });
});
