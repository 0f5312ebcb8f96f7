/** A CLI target on a test's local runtime: what `--endpoint` resolves to, built from the runtime's own stores. */
import type { Target } from '../../src/cli/target.ts';
import type { LocalRuntime } from '../../src/local/runtime.ts';
import { S3BlobStore } from '../../src/store/blob-store.ts';
import { documentClient } from '../../src/store/dynamo.ts';
import { HistoryStore } from '../../src/store/history-store.ts';

export function localTarget(rt: LocalRuntime, securityAccountId: string, overrides: Partial<Target> = {}): Target {
  return {
    kind: 'local',
    name: rt.endpoint,
    clients: rt.clients,
    securityAccountId,
    tables: rt.infra.tables,
    bucket: rt.infra.bucket,
    outputs: {},
    accounts: rt.deps.accounts,
    resources: rt.deps.resources,
    compliance: rt.deps.compliance,
    ledger: rt.deps.ledger,
    summaries: rt.summaries,
    exceptions: rt.deps.exceptions as Target['exceptions'],
    // The runtime's history table, read as `--endpoint` reads it (the runtime's stores write it).
    history: new HistoryStore(documentClient(rt.clients), rt.infra.tables.ResourceHistory, undefined, new S3BlobStore(rt.clients, rt.infra.bucket)),
    ...overrides,
  } as Target;
}
