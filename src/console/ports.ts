/**
 * What the console API needs from its runtime. The Lambda (lambdas/console-api.ts) and
 * `posture console` (src/cli/console-server.ts) each build these ports and hand them to
 * createConsoleApp (src/console/app.ts), so the same routes run in both; the routes themselves call
 * the domain code the CLI uses and never reimplement a rule.
 */
import type { PolicyCatalog } from '#compliance/catalog.ts';
import type { Clock } from '#core/types.ts';
import type { AccountStore } from '#store/account-store.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import type { DestinationStore } from '#store/destination-store.ts';
import type { ExceptionStore } from '#store/exception-store.ts';
import type { LedgerStore } from '#store/ledger-store.ts';
import type { ResourceStore } from '#store/resource-store.ts';
import type { SummaryStore } from '#store/summary-store.ts';
import type { AuditEntry, AuditLog } from './audit.ts';
import type { Principal } from './auth.ts';

export interface ConsolePorts {
  accounts: AccountStore;
  resources: ResourceStore;
  compliance: ComplianceStore;
  ledger: LedgerStore;
  exceptions: ExceptionStore;
  destinations: DestinationStore;
  summaries: SummaryStore;
  /** Every change made through the console, recorded by the app after the change succeeded. */
  audit: AuditLog;
  /** The active pack's policy catalog (the published bundle, else the built-in pack): frameworks, titles. */
  catalog(): Promise<PolicyCatalog>;
  clock: Clock;
  /** The security account the stack runs in (templates, the wizard's trust policy). */
  securityAccountId: string;
  partition: string;
  region: string;
}

/**
 * How a runtime authenticates a request: in Lambda from the JWT claims the HTTP API's authorizer
 * verified (`bindings` is hono/aws-lambda's `{ event, lambdaContext }`), locally from the session
 * cookie. Null: not signed in (401).
 */
export type Authenticate = (request: Request, bindings: unknown) => Promise<Principal | null>;

export type { AuditEntry, AuditLog };
