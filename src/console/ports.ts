/**
 * What the console API needs from its runtime. The Lambda (lambdas/console-api.ts) and
 * `posture console` (src/cli/console-server.ts) each build these ports and hand them to
 * createConsoleApp (src/console/app.ts), so the same routes run in both; the routes themselves call
 * the domain code the CLI uses and never reimplement a rule.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Account } from '#accounts/account.ts';
import type { TestAlertSource } from '#alerts/test-alert.ts';
import type { PolicyCatalog } from '#compliance/catalog.ts';
import type { Check } from '#onboarding/onboarding.ts';
import type { Clock } from '#core/types.ts';
import type { ExceptionEngine } from '#publish/exception-change.ts';
import type { AccountStore } from '#store/account-store.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import type { DestinationStore } from '#store/destination-store.ts';
import type { ExceptionStore } from '#store/exception-store.ts';
import type { HistoryStore } from '#store/history-store.ts';
import type { LedgerStore } from '#store/ledger-store.ts';
import type { ResourceStore } from '#store/resource-store.ts';
import type { SummaryStore } from '#store/summary-store.ts';
import type { AuditEntry, AuditLog } from './audit.ts';
import type { PolicyEngine } from './policy-engine.ts';
import type { Principal } from './auth.ts';
import type { ScanRun } from './contract/accounts.ts';

export interface ConsolePorts {
  accounts: AccountStore;
  resources: ResourceStore;
  compliance: ComplianceStore;
  ledger: LedgerStore;
  exceptions: ExceptionStore;
  destinations: DestinationStore;
  summaries: SummaryStore;
  /** The resources' history (the resource page's History). */
  history: HistoryStore;
  /** Every change made through the console, recorded by the app after the change succeeded. */
  audit: AuditLog;
  /** The active pack's policy catalog (the published bundle, else the built-in pack): frameworks, titles. */
  catalog(): Promise<PolicyCatalog>;
  clock: Clock;
  /**
   * Runs `fn` with the active pack and an engine evaluating with it, so an exception added or
   * removed takes effect on the stored compliance at once (src/publish/exception-change.ts).
   */
  exceptionEngine<T>(fn: (engine: ExceptionEngine) => Promise<T>): Promise<T>;
  /**
   * Runs drafts of policies in the engine: tests, evaluation, the upload's impact and publish (the
   * Detections area): locally the engine runner and worker (src/cli/console-policy-engine.ts),
   * deployed the engine function's console actions (lambdas/runtime/engine-policy-engine.ts).
   */
  policyEngine: PolicyEngine;
  /** The security account the stack runs in (templates, the wizard's trust policy). */
  securityAccountId: string;
  partition: string;
  region: string;
  /**
   * Onboarding through the runtime (Cloud Accounts): member set-up, `posture accounts verify`'s
   * checks, baseline scans. Deployed (and `posture console --stack`): src/console/stack-onboarding.ts;
   * locally: src/cli/console-onboarding.ts.
   */
  onboarding: OnboardingPort;
  /** Destination secrets and test deliveries (Destinations). */
  alerting: AlertingPort;
}

/** What the Connect-an-account wizard needs of the runtime. */
export interface OnboardingPort {
  /** The member template's parameters of this deployment, and the published template's URL (quick-create). */
  memberSetup(): Promise<{ eventBusArn: string; auditRoleName: string; templateUrl: string }>;
  /** The checks of `posture accounts verify` (role with the ExternalId, permissions, event rules per region, canary). */
  verify(account: Account): Promise<Check[]>;
  /**
   * Starts the baseline scan of one account: locally a scan in this process through a local
   * runtime on the endpoint; deployed, StartExecution of the DailyScan state machine.
   */
  startScan(accountId: string): Promise<ScanRun>;
  /** A started scan's state (undefined: no such run). */
  scanRun(runId: string): Promise<ScanRun | undefined>;
}

/** What Destinations needs of the runtime: the clients `posture destinations add|test|remove` use. */
export interface AlertingPort {
  secrets: SecretsManagerClient;
  sns: SNSClient;
  /** The stack's alerts topic (the built-in destination). */
  topicArn: string;
  /** Locally a webhook may be http://127.0.0.1 (a receiver on this machine); deployed, never. */
  allowLoopbackHttp: boolean;
  /** What a test alert names as its origin. */
  source: TestAlertSource;
}

/**
 * How a runtime authenticates a request: in Lambda from the JWT claims the HTTP API's authorizer
 * verified (`bindings` is hono/aws-lambda's `{ event, lambdaContext }`), locally from the session
 * cookie. Null: not signed in (401).
 */
export type Authenticate = (request: Request, bindings: unknown) => Promise<Principal | null>;

export type { AuditEntry, AuditLog };
