/**
 * The payloads between the DailyScan states, through their one declaration
 * (src/scan/batch-contract.ts): each state's output, shaped as the state machine passes it on,
 * parses as the next state's input without losing a field.
 */
import { describe, expect, it } from 'vitest';
import {
  batchFailureInputSchema,
  planScanOutputSchema,
  scanBatchInputSchema,
  scanBatchOutputSchema,
  type ScanBatchOutput,
} from '../../src/scan/batch-contract.ts';
import { scopeListKey } from '../../src/store/bucket-layout.ts';

const scopes = [
  { accountId: '111122223333', region: 'us-east-1', resourceType: 'AWS.S3.Bucket' },
  { accountId: '111122223333', region: 'us-east-1', resourceType: 'AWS.EC2.SecurityGroup' },
];

describe('DailyScan state contracts', () => {
  it('PlanScan → Distributed Map → ScanScope: the child input StartBatch builds from Items and BatchInput', () => {
    const plan = planScanOutputSchema.parse({ scanId: 's-1', bucket: 'scan-bucket', key: scopeListKey('s-1'), scopeCount: 2 });
    // StartBatch: { scanId: $.BatchInput.scanId, scopes: $.Items, cursor: { index: 0 } }
    const child = { Items: scopes, BatchInput: { scanId: plan.scanId } };
    const input = scanBatchInputSchema.parse({ scanId: child.BatchInput.scanId, scopes: child.Items, cursor: { index: 0 } });
    expect(input).toEqual({ scanId: 's-1', scopes, cursor: { index: 0 } });
  });

  it("ScanScope → MorePages? → ScanScope: a continuation's cursor comes back whole (usage and stale counts included)", () => {
    const out: ScanBatchOutput = {
      scanId: 's-1',
      scopes,
      done: false,
      cursor: {
        index: 1,
        pageToken: 'token-2',
        seenParts: 3,
        startedAt: '2026-12-04T05:00:00.000Z',
        resourceCount: 1500,
        changedCount: 12,
        staleCount: 2,
        usage: { memberApiCalls: 40, ddbWrites: 12, ddbWriteItems: 30, ddbReads: 4, s3Requests: 3, engineCalls: 2, engineMs: 850, lookups: 3 },
      },
    };
    expect(scanBatchOutputSchema.parse(out)).toEqual(out);
    const { done: _done, ...next } = out;
    expect(scanBatchInputSchema.parse(JSON.parse(JSON.stringify(out)))).toEqual(next);
  });

  it('ScanScope (failed after retries) → Catch → RecordBatchFailure: the batch and the error under failure', () => {
    const failed = { scanId: 's-1', scopes, cursor: { index: 0 }, failure: { Error: 'Lambda.TooManyRequestsException', Cause: '{"errorMessage":"Rate exceeded"}' } };
    expect(batchFailureInputSchema.parse(failed)).toEqual({ scanId: 's-1', scopes, failure: failed.failure });
  });

  it('refuses what no state sends, naming the field', () => {
    expect(scanBatchInputSchema.safeParse({ scanId: 's-1', scopes: [{ accountId: '12', region: 'x', resourceType: 'y' }] }).error?.issues[0]?.path).toEqual(['scopes', 0, 'accountId']);
    expect(scanBatchInputSchema.safeParse({ scanId: 's-1', scopes, cursor: { index: -1 } }).error?.issues[0]?.path).toEqual(['cursor', 'index']);
  });
});
