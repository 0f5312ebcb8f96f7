/**
 * Security Hub export: ASFF findings through BatchImportFindings, 100 per call (the API's limit).
 * A finding over Security Hub's limits (240 KB, 32 RelatedRequirements, 50 ProductFields of keys
 * up to 128 and values up to 2,048 characters, a 512-character Note) is reported as failed here
 * instead of failing its whole batch.
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsClients } from '#aws/clients.ts';
import { ASFF_MAX_PRODUCT_FIELDS, ASFF_MAX_REQUIREMENTS, ASFF_NOTE_MAX, ASFF_PRODUCT_KEY_MAX, ASFF_PRODUCT_VALUE_MAX, type AsffFinding } from '#compliance/finding-formats.ts';

export const IMPORT_BATCH = 100;
/** BatchImportFindings rejects a finding larger than 240 KB. */
export const MAX_FINDING_BYTES = 240 * 1024;

export interface ImportOutcome {
  imported: number;
  batches: number;
  failed: { id: string; code: string; message: string }[];
}

/** Why Security Hub would reject the finding, or null. */
export function asffLimitProblem(f: AsffFinding): string | null {
  const bytes = Buffer.byteLength(JSON.stringify(f));
  if (bytes > MAX_FINDING_BYTES) return `${bytes} bytes, over the ${MAX_FINDING_BYTES}-byte limit`;
  const related = f.Compliance.RelatedRequirements?.length ?? 0;
  if (related > ASFF_MAX_REQUIREMENTS) return `${related} Compliance.RelatedRequirements, over the limit of ${ASFF_MAX_REQUIREMENTS}`;
  const fields = Object.entries(f.ProductFields);
  if (fields.length > ASFF_MAX_PRODUCT_FIELDS) return `${fields.length} ProductFields, over the limit of ${ASFF_MAX_PRODUCT_FIELDS}`;
  const long = fields.find(([k, v]) => k.length > ASFF_PRODUCT_KEY_MAX || v.length > ASFF_PRODUCT_VALUE_MAX);
  if (long) return `ProductFields ${long[0].slice(0, 40)}: key over ${ASFF_PRODUCT_KEY_MAX} or value over ${ASFF_PRODUCT_VALUE_MAX} characters`;
  if (f.Note && f.Note.Text.length > ASFF_NOTE_MAX) return `Note.Text of ${f.Note.Text.length} characters, over the limit of ${ASFF_NOTE_MAX}`;
  return null;
}

export async function importToSecurityHub(clients: AwsClients, findings: readonly AsffFinding[]): Promise<ImportOutcome> {
  const hub = clients.get(SecurityHubClient);
  const out: ImportOutcome = { imported: 0, batches: 0, failed: [] };
  const sendable: AsffFinding[] = [];
  for (const f of findings) {
    const problem = asffLimitProblem(f);
    if (problem) out.failed.push({ id: f.Id, code: 'LimitExceeded', message: problem });
    else sendable.push(f);
  }
  for (let i = 0; i < sendable.length; i += IMPORT_BATCH) {
    const batch = sendable.slice(i, i + IMPORT_BATCH);
    const r = await hub.send(new BatchImportFindingsCommand({ Findings: batch as unknown as AwsSecurityFinding[] }));
    out.batches++;
    out.imported += r.SuccessCount ?? 0;
    for (const f of r.FailedFindings ?? []) out.failed.push({ id: f.Id ?? '', code: f.ErrorCode ?? '', message: f.ErrorMessage ?? '' });
  }
  return out;
}
