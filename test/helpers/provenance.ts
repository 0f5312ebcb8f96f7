/**
 * Provenance as a real-time rescan and a scan record it, for format and alert tests: an
 * assumed-role pipeline session, two coalesced events, a scan window. Values are shaped as
 * CloudTrail delivers them (userIdentity of an AssumedRole session, an IAM user's console call).
 */
import type { Actor, Provenance } from '../../src/core/provenance.ts';

export const PIPELINE_ARN = 'arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline';

/** The bastion's ingress opened by the deploy pipeline's session. */
export const pipelineActor: Actor = {
  eventID: '6f1c2a0e-8d7b-4c1e-9a55-0b3f9e2d7c41',
  eventName: 'AuthorizeSecurityGroupIngress',
  eventSource: 'ec2.amazonaws.com',
  eventTime: '2026-12-05T12:03:11Z',
  awsRegion: 'us-east-1',
  via: 'eventbridge',
  identityType: 'AssumedRole',
  arn: PIPELINE_ARN,
  principalId: 'AROAEXAMPLEROLEID:deploy-pipeline',
  accountId: '111122223333',
  sessionIssuer: 'arn:aws:iam::111122223333:role/Admin',
  invokedBy: null,
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2 prompt/off command/ec2.authorize-security-group-ingress',
};

/** An earlier console change by an IAM user, coalesced into the same rescan. */
export const consoleActor: Actor = {
  eventID: '0b9e4d51-2c6f-4a7e-8f10-3d2a7c9b1e05',
  eventName: 'ModifySecurityGroupRules',
  eventSource: 'ec2.amazonaws.com',
  eventTime: '2026-12-05T12:02:40Z',
  awsRegion: 'us-east-1',
  via: 'eventbridge',
  identityType: 'IAMUser',
  arn: 'arn:aws:iam::111122223333:user/alice',
  principalId: 'AIDAEXAMPLEUSERID',
  accountId: '111122223333',
  sessionIssuer: null,
  invokedBy: null,
  sourceIPAddress: '198.51.100.23',
  userAgent: 'console.ec2.amazonaws.com',
};

export const ASSUMED_ROLE: Provenance = { actors: [pipelineActor] };
/** Oldest first, as mergeActors keeps them. */
export const COALESCED: Provenance = { actors: [consoleActor, pipelineActor] };
export const SCAN_WINDOW: Provenance = { window: { from: '2026-12-04T02:00:00.000Z', to: '2026-12-05T02:00:00.000Z' } };
export const FIRST_SEEN: Provenance = { window: { from: null, to: '2026-12-05T02:00:00.000Z' } };
