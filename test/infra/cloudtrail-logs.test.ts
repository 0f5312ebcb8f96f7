/**
 * The optional CloudTrail log-file source in the stack: absent without `posture:cloudtrailBuckets`;
 * with it, a queue only the named buckets' S3 notifications (and the central bus rule for their
 * Object Created events) may send to, and a reader that may read only those buckets' AWSLogs/
 * objects, decrypt only with the given key, and send only to the realtime queue and its own DLQ.
 */
import type { Stack} from 'aws-cdk-lib';
import { type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LOG_SOURCE_ENV, readLogSourceEnv } from '#lambda-runtime/env.ts';
import { buildApp } from '../../lib/app.ts';
import { CLOUDTRAIL_BUCKETS_CONTEXT, CLOUDTRAIL_KMS_KEY_CONTEXT } from '../../lib/config.ts';
import { OUTPUTS } from '../../lib/outputs.ts';
import { asArray, SKIP_BUNDLING, TEST_CONTEXT } from './helpers.ts';

const KEY = 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const build = (extra: Record<string, unknown>, nag = false) => buildApp({ nag, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT, ...extra } });

type Json = Record<string, unknown>;
const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnResource);

describe('CloudTrail log-file source', () => {
  it('is not deployed without posture:cloudtrailBuckets', () => {
    const { stack } = build({});
    expect(stack.cloudtrailLogs).toBeUndefined();
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findOutputs(OUTPUTS.cloudtrailLogsQueueArn))).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toContain('cloudtrail-logs');
  });

  it('refuses bad context in one line naming the key', () => {
    expect(() => build({ [CLOUDTRAIL_BUCKETS_CONTEXT]: 'good-bucket,Bad_Bucket' })).toThrow(/^CDK context "posture:cloudtrailBuckets": "Bad_Bucket" is not an S3 bucket name/);
    expect(() => build({ [CLOUDTRAIL_BUCKETS_CONTEXT]: 'good-bucket', [CLOUDTRAIL_KMS_KEY_CONTEXT]: 'alias/trail' })).toThrow(/^CDK context "posture:cloudtrailKmsKey": "alias\/trail" is not a KMS key ARN/);
    expect(() => build({ [CLOUDTRAIL_KMS_KEY_CONTEXT]: KEY })).toThrow(/used without posture:cloudtrailBuckets/);
  });

  describe('with two trail buckets and a KMS key', () => {
    const { app, stack } = build({ [CLOUDTRAIL_BUCKETS_CONTEXT]: 'org-trail-logs, org-trail-logs-eu', [CLOUDTRAIL_KMS_KEY_CONTEXT]: KEY }, true);
    const template = Template.fromStack(stack);
    const logs = stack.cloudtrailLogs!;
    const queueId = logicalId(stack, logs.queue);
    const readerRole = logicalId(stack, logs.reader.role as unknown as { node: { defaultChild?: unknown } });

    it('synthesizes with cdk-nag clean', () => {
      expect(() => app.synth()).not.toThrow();
    });

    it('the queue: SSE, TLS only, a DLQ, and senders limited to the named buckets and the bus rule', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(stack, logs.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
      });
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter((p) => asArray((p as { Properties: { Queues: unknown } }).Properties.Queues).some((q) => (q as Json).Ref === queueId));
      const statements = policies.flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Json[] } } }).Properties.PolicyDocument.Statement);
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          expect.objectContaining({
            Sid: 'TrailBucketNotifications',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnLike: { 'aws:SourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::org-trail-logs']] }, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::org-trail-logs-eu']] }] } },
          }),
          expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stack, logs.rule), 'Arn'] } } } }),
        ]),
      );
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows).toHaveLength(2);
    });

    it('its DLQ is a parking queue with a depth alarm (posture status lists it)', () => {
      app.synth();
      expect(stack.monitoring.parked.map((p) => p.label)).toContain('CloudTrailLogs/LogsDlq');
    });

    it('the central bus rule matches Object Created of those buckets only', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: logicalId(stack, stack.realtime.bus) },
        EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['org-trail-logs', 'org-trail-logs-eu'] } } },
      });
    });

    it('the reader: GetObject on the buckets\' AWSLogs/ objects only, Decrypt with the key via S3 only, send to the realtime queue and its DLQ', () => {
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => ((p as { Properties: { Roles?: { Ref?: string }[] } }).Properties.Roles ?? []).some((r) => r.Ref === readerRole))
        .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Json[] } } }).Properties.PolicyDocument.Statement);
      const s3 = statements.filter((s) => asArray(s.Action).some((a) => String(a).startsWith('s3:')));
      expect(s3).toEqual([
        {
          Sid: 'ReadTrailLogFiles',
          Effect: 'Allow',
          Action: 's3:GetObject',
          // (in the order CDK's policy minimization sorts them)
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::org-trail-logs-eu/*AWSLogs/*']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::org-trail-logs/*AWSLogs/*']] },
          ],
        },
      ]);
      const kms = statements.filter((s) => asArray(s.Action).some((a) => String(a).startsWith('kms:')));
      // The Accounts table's data key (a grant for reading it), and the trail key for Decrypt through S3.
      expect(kms).toEqual(expect.arrayContaining([{ Sid: 'DecryptTrailLogFiles', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } }]));
      const sends = statements.filter((s) => asArray(s.Action).includes('sqs:SendMessage'));
      expect(sends.flatMap((s) => asArray(s.Resource))).toEqual(
        expect.arrayContaining([{ 'Fn::GetAtt': [logicalId(stack, stack.realtime.queue), 'Arn'] }, { 'Fn::GetAtt': [logicalId(stack, logs.deadLetterQueue), 'Arn'] }]),
      );
      expect(sends.flatMap((s) => asArray(s.Resource))).toHaveLength(2);
      // Nothing else of S3, no AssumeRole: it reads log files and forwards, nothing more.
      expect(statements.some((s) => asArray(s.Action).includes('sts:AssumeRole'))).toBe(false);
      expect(statements.some((s) => asArray(s.Action).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(String(a))))).toBe(false);
    });

    it('the reader\'s environment is what readLogSourceEnv reads, and an output names the queue', () => {
      const fn = template.toJSON().Resources[logicalId(stack, logs.reader)] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
      const vars = fn.Properties.Environment.Variables;
      expect(vars[LOG_SOURCE_ENV.buckets]).toBe('org-trail-logs,org-trail-logs-eu');
      expect(readLogSourceEnv({ ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : 'resolved-at-deploy'])) })).toMatchObject({ buckets: ['org-trail-logs', 'org-trail-logs-eu'] });
      template.hasOutput(OUTPUTS.cloudtrailLogsQueueArn, { Value: { 'Fn::GetAtt': [queueId, 'Arn'] } });
      template.hasOutput(OUTPUTS.cloudtrailLogsReaderRoleArn, { Value: { 'Fn::GetAtt': [readerRole, 'Arn'] } });
      template.hasOutput(OUTPUTS.cloudtrailBuckets, { Value: 'org-trail-logs,org-trail-logs-eu' });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    });

    it('without a KMS key the reader gets no Decrypt on any trail key', () => {
      const { stack: plain } = build({ [CLOUDTRAIL_BUCKETS_CONTEXT]: 'org-trail-logs' });
      expect(JSON.stringify(Template.fromStack(plain).toJSON())).not.toContain('DecryptTrailLogFiles');
      Template.fromStack(plain).hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReadTrailLogFiles' })]) } });
    });
  });
});
