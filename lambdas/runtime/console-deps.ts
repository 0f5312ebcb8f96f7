/**
 * The console API's ports in Lambda (src/console/ports.ts), composed once per container from the
 * stores of the one composition (lambdas/runtime/deps.ts → src/compose/deps.ts) plus the audit log
 * and the console's own environment (CONSOLE_ENV).
 */
import { partitionOf } from '#core/partitions.ts';
import { systemClock } from '#core/types.ts';
import type { ConsolePorts } from '#console/ports.ts';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { engineCatalog } from '#publish/engine-catalog.ts';
import { AuditStore } from '#store/audit-store.ts';
import { documentClient } from '#store/dynamo.ts';
import { composedDeps } from './deps.ts';
import { readConsoleEnv, type ConsoleEnv } from './env.ts';

export interface ConsoleLambdaDeps {
  ports: ConsolePorts;
  /** The state machine and policy bucket the console's changes reach (baseline scan, publish). */
  console: ConsoleEnv;
}

let cached: ConsoleLambdaDeps | undefined;

export function consoleDeps(): ConsoleLambdaDeps {
  if (cached) return cached;
  const { env, clients, scan, composed } = composedDeps();
  const consoleEnv = readConsoleEnv();
  const ports: ConsolePorts = {
    accounts: scan.accounts,
    resources: scan.resources,
    compliance: scan.compliance,
    ledger: scan.ledger,
    exceptions: composed.exceptions,
    destinations: composed.destinations,
    summaries: composed.summaries,
    audit: new AuditStore(documentClient(clients), env.tables.ConsoleAudit),
    // The engine function answers with the pack it evaluates with (uploaded, else built in).
    catalog: engineCatalog(clients.get(LambdaClient), env.engineFunction),
    clock: systemClock,
    securityAccountId: consoleEnv.securityAccountId,
    partition: partitionOf(env.region),
    region: env.region,
  };
  cached = { ports, console: consoleEnv };
  return cached;
}
