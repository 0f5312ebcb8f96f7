/**
 * Least-privilege grants shared by the constructs. Each helper acknowledges, on the grantee's
 * role, exactly the cdk-nag findings its own grant produces.
 */
import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { TABLES, type TableId } from '#store/tables.ts';
import { acknowledgeWildcardActions, acknowledgeWildcardResource, REASONS } from '../nag.ts';

/** The construct that holds the grantee's policies (its role), where acknowledgements belong. */
export function policyHolder(grantee: iam.IGrantable): IConstruct {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) throw new Error('grants: the grantee principal must be a role construct');
  return principal;
}

/** The audit role's ARN in every member account: `arn:<partition>:iam::*:role/<name>`. */
export function auditRoleArn(scope: IConstruct, auditRoleName: string): string {
  return Stack.of(scope).formatArn({ service: 'iam', region: '', account: '*', resource: 'role', resourceName: auditRoleName });
}

/** sts:AssumeRole on the audit role names the stack may assume (lib/config.ts assumableAuditRoleNames), in any account. */
export function grantAssumeAuditRole(grantee: iam.IGrantable, auditRoleNames: readonly string[]): void {
  if (auditRoleNames.length === 0) throw new Error('grantAssumeAuditRole: no audit role name');
  const holder = policyHolder(grantee);
  const arns = auditRoleNames.map((name) => auditRoleArn(holder, name));
  iam.Grant.addToPrincipal({ grantee, actions: ['sts:AssumeRole'], resourceArns: arns });
  for (const arn of arns) acknowledgeWildcardResource(holder, arn, REASONS.auditRole);
}

export type TableAccess = 'read' | 'readWrite';

export function grantTables(grantee: iam.IGrantable, tables: Record<TableId, ITable>, ids: TableId[], access: TableAccess): void {
  const holder = policyHolder(grantee);
  for (const id of ids) {
    const table = tables[id];
    if (access === 'read') table.grantReadData(grantee);
    else table.grantReadWriteData(grantee);
    // Table.grant* adds <arn>/index/* for tables that have indexes.
    if (TABLES[id].indexes.length > 0) acknowledgeWildcardResource(holder, `${table.tableArn}/index/*`, REASONS.tableIndexes);
  }
  if (access === 'readWrite' && ids.some((id) => tables[id].encryptionKey)) {
    acknowledgeWildcardActions(holder, ['kms:ReEncrypt*', 'kms:GenerateDataKey*'], REASONS.kmsGrant);
  }
}

/** Object access (no deletes, no ACLs, no tagging) under one key prefix, plus the bucket key. */
export function grantObjects(grantee: iam.IGrantable, bucket: IBucket, access: { read?: boolean; write?: boolean; prefix?: string }): void {
  const holder = policyHolder(grantee);
  const objects = bucket.arnForObjects(`${access.prefix ?? ''}*`);
  const actions = [...(access.read ? ['s3:GetObject'] : []), ...(access.write ? ['s3:PutObject'] : [])];
  iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [objects] });
  if (access.read) {
    // Lets a missing key read as 404 instead of 403.
    iam.Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [bucket.bucketArn] });
  }
  const keyActions = [...(access.read ? ['kms:Decrypt'] : []), ...(access.write ? ['kms:GenerateDataKey', 'kms:Decrypt'] : [])];
  bucket.encryptionKey?.grant(grantee, ...new Set(keyActions));
  acknowledgeWildcardResource(holder, objects, REASONS.scanObjects);
}

/** lambda:InvokeFunction on one function (and its versions/aliases). */
export function grantInvoke(grantee: iam.IGrantable, fn: IFunction): void {
  fn.grantInvoke(grantee);
  acknowledgeWildcardResource(policyHolder(grantee), `${fn.functionArn}:*`, REASONS.functionVersions);
}
