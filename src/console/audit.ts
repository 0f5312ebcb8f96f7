/**
 * The console's audit log: who changed what, when. The app records one entry for every request
 * that changed something and succeeded (src/console/app.ts); the store behind the port is a
 * DynamoDB table deployed and on the emulator alike.
 */
import { z } from 'zod';
import { roleSchema } from './auth.ts';

export const auditEntrySchema = z.object({
  /** ISO time the change was made. */
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string(), role: roleSchema }),
  /** The API method and path, e.g. `POST /api/exceptions`. */
  action: z.string(),
  /** What was changed, e.g. the exception, policy, account or destination ID. */
  target: z.string(),
  /** A short, secret-free description of the change (never a destination secret or a resource value). */
  summary: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export interface AuditPage {
  entries: AuditEntry[];
  /** Opaque cursor of the next page; absent on the last page. */
  next?: string;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(opts: { limit: number; cursor?: string }): Promise<AuditPage>;
}
