/** The audit log page's contract (GET /api/audit): newest-first pages with an opaque cursor. */
import { z } from 'zod';
import { auditEntrySchema } from '../audit.ts';

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).optional(),
});

export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), next: z.string().optional() });
export type AuditPageResponse = z.infer<typeof auditPageSchema>;
