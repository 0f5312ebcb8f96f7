/**
 * What a state-reading CLI verb talks to: a deployed stack (`--stack NAME`, through the caller's
 * AWS credentials; names come from the stack's outputs) or a running local runtime
 * (`--endpoint URL`, e.g. from `posture demo --keep-running`). Both give the same stores.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describeError, errorMessage, errorName, unreachableCode } from '#core/errors.ts';
import { OUTPUTS, tableOutputKey } from '../../lib/outputs.ts';
import { createClients, type AwsClients } from '#aws/clients.ts';
import { localBucketName, localTableNames } from '#local/bootstrap.ts';
import { EMULATOR_CREDENTIALS } from '#local/runtime.ts';
import { AccountStore } from '#store/account-store.ts';
import { S3BlobStore } from '#store/blob-store.ts';
import { ComplianceStore } from '#store/compliance-store.ts';
import { documentClient } from '#store/dynamo.ts';
import { ExceptionStore } from '#store/exception-store.ts';
import { LedgerStore } from '#store/ledger-store.ts';
import { ResourceStore } from '#store/resource-store.ts';
import { DEFAULT_HISTORY_DAYS, HistoryStore } from '#store/history-store.ts';
import { SummaryStore } from '#store/summary-store.ts';
import { TABLES, type TableId, type TableNames } from '#store/tables.ts';
import { serializeTransactWrites } from '#local/serialized-transactions.ts';
import { EMULATOR_CLIENT_OPTIONS } from '#local/emulator-retry.ts';

export interface TargetOptions {
  stack?: string;
  endpoint?: string;
  region?: string;
}

export interface Target {
  kind: 'stack' | 'local';
  /** The stack name or the endpoint URL, for messages. */
  name: string;
  clients: AwsClients;
  securityAccountId: string;
  tables: TableNames;
  bucket: string;
  /** Outputs of a deployed stack (empty for a local runtime). */
  outputs: Record<string, string>;
  accounts: AccountStore;
  resources: ResourceStore;
  compliance: ComplianceStore;
  ledger: LedgerStore;
  exceptions: ExceptionStore;
  /** The daily compliance summary (readTrend in src/compliance/trend.ts). */
  summaries: SummaryStore;
  /** The resources' history (`posture resources history`, `posture changes`). */
  history: HistoryStore;
}

export class TargetError extends Error {}

/** The stack's history retention (a stack deployed before the output existed: the default). */
function historyDaysOf(outputs: Record<string, string>): number {
  const days = Number(outputs[OUTPUTS.historyDays]);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_HISTORY_DAYS;
}

function stores(clients: AwsClients, tables: TableNames, bucket: string, emulator = false, historyDays = DEFAULT_HISTORY_DAYS) {
  const doc = documentClient(clients);
  const blobs = new S3BlobStore(clients, bucket);
  const txDoc = emulator ? serializeTransactWrites(doc) : doc;
  // The retention of the records this client writes (re-evaluations' transitions): the stack's (its HistoryRetentionDays output).
  const history = new HistoryStore(doc, tables.ResourceHistory, historyDays, blobs);
  return {
    accounts: new AccountStore(doc, tables.Accounts),
    resources: new ResourceStore(txDoc, tables.Resources, blobs, history),
    compliance: new ComplianceStore(txDoc, { compliance: tables.Compliance, alerts: tables.Alerts }, history),
    history,
    ledger: new LedgerStore(doc, tables.ScanLedger),
    exceptions: new ExceptionStore(doc, tables.Exceptions),
    summaries: new SummaryStore(doc, tables.DailySummary),
  };
}

export async function resolveTarget(opts: TargetOptions): Promise<Target> {
  if (Boolean(opts.stack) === Boolean(opts.endpoint)) throw new TargetError('give exactly one target: --stack NAME (a deployed stack) or --endpoint URL (a local runtime)');
  const region = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  if (opts.endpoint) {
    let url: URL;
    try {
      url = new URL(opts.endpoint);
    } catch {
      throw new TargetError(`--endpoint: '${opts.endpoint}' is not a URL`);
    }
    const clients = createClients({ region, endpoint: url.origin, credentials: EMULATOR_CREDENTIALS, maxAttempts: 2, ...EMULATOR_CLIENT_OPTIONS });
    const id = await clients
      .get(STSClient)
      .send(new GetCallerIdentityCommand({}))
      .catch((err: unknown) => {
        const down = unreachableCode(err);
        if (down) throw new TargetError(`--endpoint ${url.origin}: cannot reach it (${down}); start a local runtime with posture demo --keep-running`);
        throw new TargetError(`--endpoint ${url.origin}: no AWS emulator answers there (${describeError(err)})`);
      });
    const tables = localTableNames();
    // An emulator without Posture's tables (a plain moto server, or another project's) is not a runtime.
    await clients
      .get(DynamoDBClient)
      .send(new DescribeTableCommand({ TableName: tables.Accounts }))
      .catch((err: unknown) => {
        if (errorName(err) !== 'ResourceNotFoundException') throw new TargetError(`--endpoint ${url.origin}: cannot read the Posture tables (${describeError(err)})`);
        throw new TargetError(`--endpoint ${url.origin}: an AWS emulator answers there, but no Posture stack is deployed on it (no table ${tables.Accounts}); start one with posture demo --keep-running`);
      });
    const bucket = localBucketName(id.Account!);
    return { kind: 'local', name: url.origin, clients, securityAccountId: id.Account!, tables, bucket, outputs: {}, ...stores(clients, tables, bucket, true) };
  }
  const clients = createClients({ region });
  const stack = await clients
    .get(CloudFormationClient)
    .send(new DescribeStacksCommand({ StackName: opts.stack }))
    .catch((err: unknown) => {
      const down = unreachableCode(err);
      const where = process.env.AWS_ENDPOINT_URL ? `${process.env.AWS_ENDPOINT_URL} (AWS_ENDPOINT_URL)` : `CloudFormation in ${region}`;
      if (down) throw new TargetError(`--stack ${opts.stack}: cannot reach ${where} (${down})`);
      if (/does not exist/i.test(errorMessage(err))) {
        throw new TargetError(`--stack ${opts.stack}: no such stack in ${region}${process.env.AWS_ENDPOINT_URL ? ` at ${process.env.AWS_ENDPOINT_URL}` : ''}: the Posture stack is missing (deploy it with npx cdk deploy, or check --stack, --region and --profile)`);
      }
      throw new TargetError(`--stack ${opts.stack}: ${describeError(err)} (region ${region})`);
    });
  const outputs = Object.fromEntries((stack.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
  const tables = {} as TableNames;
  for (const id of Object.keys(TABLES) as TableId[]) {
    const v = outputs[tableOutputKey(id)];
    if (!v) throw new TargetError(`--stack ${opts.stack}: output ${tableOutputKey(id)} is missing; is this a Posture stack?`);
    tables[id] = v;
  }
  const bucket = outputs[OUTPUTS.scanBucket];
  if (!bucket) throw new TargetError(`--stack ${opts.stack}: output ${OUTPUTS.scanBucket} is missing; is this a Posture stack?`);
  const id = await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
  return { kind: 'stack', name: opts.stack!, clients, securityAccountId: id.Account!, tables, bucket, outputs, ...stores(clients, tables, bucket, false, historyDaysOf(outputs)) };
}
