/** The ports the scan and real-time domain code run on: same code in Lambda, the local runtime and tests. */
import type { MemberAccess } from '#accounts/credentials.ts';
import type { AnyResourceType } from '#resources/index.ts';
import type { Clock, Evaluator } from '#core/types.ts';
import type { AccountStore } from '#store/account-store.ts';
import type { BlobStore } from '#store/blob-store.ts';
import type { ExceptionSource } from '#compliance/exceptions.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import type { AlertItem } from '#compliance/model.ts';
import type { LedgerStore } from '#store/ledger-store.ts';
import type { ResourceStore } from '#store/resource-store.ts';

export interface Log {
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export interface ScanDeps {
  accounts: AccountStore;
  access: MemberAccess;
  resources: ResourceStore;
  compliance: ComplianceStore;
  ledger: LedgerStore;
  evaluator: Evaluator;
  /** Accepted risks applied at ingest; absent = none. Wrapped in `cachedExceptions` per batch. */
  exceptions?: ExceptionSource;
  blobs: BlobStore;
  clock: Clock;
  partition: string;
  /** Region for the API calls of global types (the partition's home region). */
  homeRegion: string;
  log: Log;
  /** The resource types to scan; default: the full registry. */
  registry?: readonly AnyResourceType[];
  /** Called with the alerts a write opened or resolved. Deployed, delivery is driven by the
   *  Alerts table stream instead, so this is a no-op there; the local runtime delivers here. */
  onAlerts?: (opened: AlertItem[], resolved: AlertItem[]) => Promise<void>;
}

export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };
