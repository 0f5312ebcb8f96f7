/**
 * bench:realtime's log-file phase: N CloudTrail log files of a realistic size (RECORDS_PER_FILE
 * records, ~10% writes of the registry's services on the bench's resources, the rest reads and
 * failed calls as a busy account's trail holds) are written gzip into a trail bucket on the
 * emulator, whose S3 notifications reach the log-file source's queue; each notification is then
 * processed alone (S3 GetObject → gunzip → records → trust checks → map → SendMessageBatch to the
 * realtime queue) and timed; the realtime consumer drains what it forwarded before the next file.
 */
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mapLimit } from '../src/core/errors.ts';
import { addLogSourceStats, emptyLogSourceStats, processLogNotifications } from '../src/events/cloudtrail-logs.ts';
import type { LocalRuntime } from '../src/local/runtime.ts';

export interface LogFileTarget {
  accountId: string;
  kind: 'sg' | 'bucket';
  name: string;
}

export interface LogFileResult {
  files: number;
  records: number;
  forwarded: number;
  msPerFileP50: number;
  msPerFileP95: number;
  eventsPerSecond: number;
}

const READS: [string, string][] = [
  ['ec2.amazonaws.com', 'DescribeInstances'], ['ec2.amazonaws.com', 'DescribeSecurityGroups'], ['s3.amazonaws.com', 'GetBucketAcl'],
  ['s3.amazonaws.com', 'ListBuckets'], ['sts.amazonaws.com', 'GetCallerIdentity'], ['iam.amazonaws.com', 'GetRole'],
  ['kms.amazonaws.com', 'Decrypt'], ['logs.amazonaws.com', 'DescribeLogGroups'], ['lambda.amazonaws.com', 'GetFunction'],
];

function record(account: string, region: string, eventSource: string, eventName: string, requestParameters: Record<string, unknown> | null, extra: Record<string, unknown> = {}) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEBENCH:terraform',
      arn: `arn:aws:sts::${account}:assumed-role/Deployer/terraform`,
      accountId: account,
      accessKeyId: 'ASIAEXAMPLEBENCHKEY',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEBENCH', arn: `arn:aws:iam::${account}:role/Deployer`, accountId: account, userName: 'Deployer' },
        attributes: { creationDate: now, mfaAuthenticated: 'false' },
      },
    },
    eventTime: now,
    eventSource,
    eventName,
    awsRegion: region,
    sourceIPAddress: '203.0.113.10',
    userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0 aws-sdk-go-v2/1.32.6 os/linux lang/go#1.23.3',
    requestParameters,
    responseElements: null,
    requestID: crypto.randomUUID(),
    eventID: crypto.randomUUID(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${eventSource.split('.')[0]}.${region}.amazonaws.com` },
    ...extra,
  };
}

function write(t: LogFileTarget, region: string, i: number) {
  if (t.kind === 'sg') {
    return record(t.accountId, region, 'ec2.amazonaws.com', i % 2 ? 'AuthorizeSecurityGroupIngress' : 'CreateTags', i % 2
      ? { groupId: t.name, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '10.0.0.0/8', description: 'bench' }] } }] } }
      : { resourcesSet: { items: [{ resourceId: t.name }] }, tagSet: { items: [{ key: 'bench', value: String(i) }] } }, { readOnly: false });
  }
  return record(t.accountId, region, 's3.amazonaws.com', i % 2 ? 'PutBucketTagging' : 'PutBucketVersioning', { bucketName: t.name, Host: `${t.name}.s3.amazonaws.com`, tagging: '' }, { readOnly: false });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

export async function benchLogFiles(rt: LocalRuntime, targets: readonly LogFileTarget[], opts: { files: number; recordsPerFile: number; region: string; log: (m: string) => void }): Promise<LogFileResult> {
  const s3 = rt.clients.get(S3Client);
  const sqs = rt.clients.get(SQSClient);
  // The trail bucket sits in the security account: moto notifies only queues of the bucket's own account.
  const bucket = `bench-trail-${rt.securityAccountId}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const queueUrl = rt.infra.queues.cloudtrailLogs;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] }] } }));
  rt.logSource.buckets = [bucket];
  for (const accountId of new Set(targets.map((t) => t.accountId))) {
    const account = (await rt.deps.accounts.get(accountId))!;
    await rt.deps.accounts.put({ ...account, cloudtrailBucket: bucket });
  }

  let bytes = 0;
  const accounts = [...new Set(targets.map((t) => t.accountId))];
  await mapLimit(Array.from({ length: opts.files }, (_, f) => f), 8, async (f) => {
    const account = accounts[f % accounts.length]!;
    const mine = targets.filter((t) => t.accountId === account);
    const records = Array.from({ length: opts.recordsPerFile }, (_, i) => {
      if (i % 10 === 0) return write(mine[(f * 97 + i) % mine.length]!, opts.region, i);
      const [source, name] = READS[i % READS.length]!;
      // A few failed calls, as every busy trail has.
      const failed = i % 37 === 0 ? { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform this operation' } : {};
      return record(account, opts.region, source, name, { filter: [{ name: 'tag:team', values: ['platform'] }], maxResults: 1000 }, failed);
    });
    const body = gzipSync(JSON.stringify({ Records: records }));
    bytes += body.length;
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
    const key = `org/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${opts.region}/2026/12/05/${account}_CloudTrail_${opts.region}_${stamp}Z_${String(f).padStart(6, '0')}bench.json.gz`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  });
  opts.log(`log files: ${opts.files} × ${opts.recordsPerFile} records written (${(bytes / opts.files / 1024).toFixed(0)} KiB gzip each)`);

  const stats = emptyLogSourceStats();
  const perFile: number[] = [];
  let rescanned = 0;
  while (perFile.length < opts.files) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of r.Messages ?? []) {
      const t0 = performance.now();
      const out = await processLogNotifications(rt.logSource, [{ messageId: m.MessageId!, body: m.Body! }]);
      const ms = performance.now() - t0;
      addLogSourceStats(stats, out.stats);
      if (out.batchItemFailures.length) throw new Error(`log file notification failed: ${m.Body}`);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      if (!out.stats.files.read) continue;
      perFile.push(ms);
      // Deployed, RealtimeRescan drains the realtime queue as the reader fills it; here between
      // files and untimed (the EventBridge phase measures rescans), so the reader always sends to a
      // short queue: moto's SendMessageBatch slows down as a queue grows (48 ms a call with 200
      // messages waiting, 660 ms with 4,200; 2026-12-05), which no real queue does.
      for (;;) {
        const rt2 = await rt.pollRealtime();
        if (rt2.stats.failed || rt2.stats.deadLettered) throw new Error(`realtime outcome of forwarded events: ${JSON.stringify(rt2.stats)}`);
        rescanned += rt2.stats.rescanned;
        if (rt2.stats.received === 0) break;
      }
    }
  }
  const seconds = perFile.reduce((a, b) => a + b, 0) / 1000;
  opts.log(`log files read in ${seconds.toFixed(1)} s of reader time: ${JSON.stringify(stats.records)}; ${rescanned} rescans of the forwarded events`);
  perFile.sort((a, b) => a - b);
  return {
    files: stats.files.read,
    records: stats.records.read,
    forwarded: stats.records.forwarded,
    msPerFileP50: Math.round(percentile(perFile, 50)),
    msPerFileP95: Math.round(percentile(perFile, 95)),
    /** Records through the reader per second of its own time (read, filtered, the writes forwarded). */
    eventsPerSecond: Math.round(stats.records.read / seconds),
  };
}
