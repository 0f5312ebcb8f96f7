/**
 * The IAM credential report, fetched and parsed once per scan scope (memoized in `ctx.cache`),
 * as Panther's typed `CredentialReport` rows keyed by ARN. Shared by the IAM user type (and a
 * root-user type: the report's `<root_account>` row).
 *
 * AWS regenerates the report at most every 4 hours: a real-time rescan may see a report that
 * predates the change that triggered it.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { hasErrorCode } from './aws-errors.ts';
import type { ScanContext } from './types.ts';
import { scopeMemo } from './scope-cache.ts';

export type CredentialReportRow = Record<string, string | boolean | null>;

/** Panther's value for a date column that AWS reports as N/A, not_supported or no_information. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

type Kind = 'string' | 'bool' | 'date';

/** CSV column → Panther key and type, in report order. */
const COLUMNS: readonly (readonly [string, string, Kind])[] = [
  ['user', 'UserName', 'string'],
  ['arn', 'ARN', 'string'],
  ['user_creation_time', 'UserCreationTime', 'date'],
  ['password_enabled', 'PasswordEnabled', 'bool'],
  ['password_last_used', 'PasswordLastUsed', 'date'],
  ['password_last_changed', 'PasswordLastChanged', 'date'],
  ['password_next_rotation', 'PasswordNextRotation', 'date'],
  ['mfa_active', 'MfaActive', 'bool'],
  ['access_key_1_active', 'AccessKey1Active', 'bool'],
  ['access_key_1_last_rotated', 'AccessKey1LastRotated', 'date'],
  ['access_key_1_last_used_date', 'AccessKey1LastUsedDate', 'date'],
  ['access_key_1_last_used_region', 'AccessKey1LastUsedRegion', 'string'],
  ['access_key_1_last_used_service', 'AccessKey1LastUsedService', 'string'],
  ['access_key_2_active', 'AccessKey2Active', 'bool'],
  ['access_key_2_last_rotated', 'AccessKey2LastRotated', 'date'],
  ['access_key_2_last_used_date', 'AccessKey2LastUsedDate', 'date'],
  ['access_key_2_last_used_region', 'AccessKey2LastUsedRegion', 'string'],
  ['access_key_2_last_used_service', 'AccessKey2LastUsedService', 'string'],
  ['cert_1_active', 'Cert1Active', 'bool'],
  ['cert_1_last_rotated', 'Cert1LastRotated', 'date'],
  ['cert_2_active', 'Cert2Active', 'bool'],
  ['cert_2_last_rotated', 'Cert2LastRotated', 'date'],
];

function parseDate(raw: string): string {
  const t = Date.parse(raw);
  // N/A, not_supported, no_information (and anything else that is not a date).
  return Number.isNaN(t) ? ZERO_TIME : new Date(t).toISOString();
}

function typed(raw: string | undefined, kind: Kind): string | boolean | null {
  if (raw === undefined) return null;
  if (kind === 'bool') return raw.toLowerCase() === 'true';
  if (kind === 'date') return parseDate(raw);
  return raw;
}

/** RFC 4180 CSV (the report has no quoted fields today; quotes are handled anyway). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The report CSV as typed rows keyed by ARN. */
export function parseCredentialReport(csv: string): Map<string, CredentialReportRow> {
  const [header, ...rows] = parseCsv(csv);
  const byArn = new Map<string, CredentialReportRow>();
  if (!header) return byArn;
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  for (const cells of rows) {
    if (cells.length === 1 && cells[0] === '') continue;
    const row: CredentialReportRow = {};
    for (const [column, key, kind] of COLUMNS) {
      const i = index.get(column);
      row[key] = typed(i === undefined ? undefined : cells[i], kind);
    }
    if (typeof row.ARN === 'string') byArn.set(row.ARN, row);
  }
  return byArn;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ReportOptions {
  /** Give up after this long (the report usually takes seconds). */
  timeoutMs?: number;
}

async function fetchReport(iam: IAMClient, opts: ReportOptions): Promise<Map<string, CredentialReportRow>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let delay = 200;
  for (;;) {
    const gen = await iam.send(new GenerateCredentialReportCommand({}));
    if (gen.State === 'COMPLETE') {
      try {
        const report = await iam.send(new GetCredentialReportCommand({}));
        return parseCredentialReport(Buffer.from(report.Content ?? new Uint8Array()).toString('utf8'));
      } catch (e) {
        // Expired or replaced between the two calls: generate again.
        if (!hasErrorCode(e, 'ReportExpired', 'ReportInProgress', 'ReportNotPresent')) throw e;
      }
    }
    if (Date.now() + delay > deadline) {
      throw new Error(`IAM credential report not ready after ${Math.round((opts.timeoutMs ?? 120_000) / 1000)}s`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}

const CACHE_KEY = 'iam:credential-report';

/** The account's credential report rows by ARN, generated and parsed once per scope. */
export function credentialReport(ctx: ScanContext, opts: ReportOptions = {}): Promise<Map<string, CredentialReportRow>> {
  // A failure is not memoized: the next describe tries again.
  return scopeMemo(ctx, CACHE_KEY, () => fetchReport(ctx.clients.get(IAMClient), opts));
}
