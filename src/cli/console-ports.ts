/** The console's ports on a CLI target (`--endpoint` or `--stack`): the target's stores plus the audit log and the catalog. */
import type { ConsolePorts } from '#console/ports.ts';
import { partitionOf } from '#core/partitions.ts';
import { systemClock } from '#core/types.ts';
import { AuditStore } from '#store/audit-store.ts';
import { DestinationStore } from '#store/destination-store.ts';
import { documentClient } from '#store/dynamo.ts';
import { activeCatalog } from './policy-catalog.ts';
import type { Target } from './target.ts';

export function consolePorts(target: Target, region: string): ConsolePorts {
  const doc = documentClient(target.clients);
  return {
    accounts: target.accounts,
    resources: target.resources,
    compliance: target.compliance,
    ledger: target.ledger,
    exceptions: target.exceptions,
    destinations: new DestinationStore(doc, target.tables.Destinations),
    summaries: target.summaries,
    audit: new AuditStore(doc, target.tables.ConsoleAudit),
    catalog: async () => (await activeCatalog(target)).catalog,
    clock: systemClock,
    securityAccountId: target.securityAccountId,
    partition: partitionOf(region),
    region,
  };
}
