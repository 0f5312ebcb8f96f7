/** Security Hub export: ASFF findings through BatchImportFindings, 100 per call (the API's limit). */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsClients } from '#aws/clients.ts';
import type { AsffFinding } from '#compliance/finding-formats.ts';

export const IMPORT_BATCH = 100;

export interface ImportOutcome {
  imported: number;
  batches: number;
  failed: { id: string; code: string; message: string }[];
}

export async function importToSecurityHub(clients: AwsClients, findings: readonly AsffFinding[]): Promise<ImportOutcome> {
  const hub = clients.get(SecurityHubClient);
  const out: ImportOutcome = { imported: 0, batches: 0, failed: [] };
  for (let i = 0; i < findings.length; i += IMPORT_BATCH) {
    const batch = findings.slice(i, i + IMPORT_BATCH);
    const r = await hub.send(new BatchImportFindingsCommand({ Findings: batch as unknown as AwsSecurityFinding[] }));
    out.batches++;
    out.imported += r.SuccessCount ?? 0;
    for (const f of r.FailedFindings ?? []) out.failed.push({ id: f.Id ?? '', code: f.ErrorCode ?? '', message: f.ErrorMessage ?? '' });
  }
  return out;
}
