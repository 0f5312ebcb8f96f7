/** The console's ports on a CLI target (`--endpoint` or `--stack`): the target's stores plus the audit log and the catalog. */
import type { ConsolePorts } from '#console/ports.ts';
import { partitionOf } from '#core/partitions.ts';
import { systemClock } from '#core/types.ts';
import { AuditStore } from '#store/audit-store.ts';
import { DestinationStore } from '#store/destination-store.ts';
import { documentClient } from '#store/dynamo.ts';
import { withExceptionEngine } from './exception-engine.ts';
import { consoleAlerting, consoleOnboarding } from './console-onboarding.ts';
import { consolePolicyEngine } from './console-policy-engine.ts';
import { activeCatalog, cachedActiveCatalog } from './policy-catalog.ts';
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
    history: target.history,
    audit: new AuditStore(doc, target.tables.ConsoleAudit),
    catalog: cachedActiveCatalog(target, activeCatalog),
    clock: systemClock,
    exceptionEngine: (fn) => withExceptionEngine(target, { clock: systemClock }, fn),
    policyEngine: consolePolicyEngine(target),
    securityAccountId: target.securityAccountId,
    partition: partitionOf(region),
    region,
    onboarding: consoleOnboarding(target),
    alerting: consoleAlerting(target),
  };
}
