/**
 * The Findings area's contract (GET /api/findings, /findings/facets, /findings/detail,
 * /findings/export; GET/POST /api/exceptions, DELETE /api/exceptions/{id}), declared once: the API
 * validates with it and the SPA parses with it. Imports only zod and #core (the SPA bundles it).
 */
import { z } from 'zod';
import { FINDING_STATUSES, SEVERITIES } from '#core/types.ts';

const severitySchema = z.enum(SEVERITIES as readonly ['Info', 'Low', 'Medium', 'High', 'Critical']);
/** SUPPRESSED: failing under an exception or a suppression pattern (FAIL is failing and not suppressed), as `posture findings --status`. */
const statusSchema = z.enum(FINDING_STATUSES);
const triggerSchema = z.string();

/** The filters of the list and the export; each optional (absent: no condition). */
export const findingsFilterSchema = z.object({
  account: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  resourceType: z.string().min(1).optional(),
  policy: z.string().min(1).optional(),
  /** Minimum severity. */
  severity: severitySchema.optional(),
  status: statusSchema.optional(),
  /** A framework ID (e.g. cis-3.0): the policies of the active pack that report against it. */
  framework: z.string().min(1).optional(),
  /** Case-insensitive substring of the resource ID, policy ID or title. */
  text: z.string().min(1).max(200).optional(),
});
export type FindingsFilterQuery = z.infer<typeof findingsFilterSchema>;

export const findingsQuerySchema = findingsFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).optional(),
});

export const FINDING_EXPORT_FORMATS = ['csv', 'asff', 'ocsf'] as const;
export const findingsExportQuerySchema = findingsFilterSchema.extend({ format: z.enum(FINDING_EXPORT_FORMATS) });

/** A finding as `posture findings --format json` prints it (src/compliance/findings.ts), with its frameworks. */
export const findingSchema = z.object({
  accountId: z.string(),
  region: z.string(),
  resourceId: z.string(),
  resourceType: z.string(),
  policyId: z.string(),
  title: z.string().nullable(),
  severity: severitySchema,
  status: z.enum(['PASS', 'FAIL', 'ERROR']),
  suppressed: z.boolean(),
  suppressedBy: z.string().nullable(),
  errorMessage: z.string().nullable(),
  trigger: triggerSchema,
  lastChanged: z.string(),
  lastVerified: z.string().nullable(),
  verifiedBy: triggerSchema.nullable(),
  description: z.string().nullable(),
  runbook: z.string().nullable(),
  reference: z.string().nullable(),
  requirements: z.array(z.object({ framework: z.string(), frameworkId: z.string().nullable(), control: z.string(), known: z.boolean() })).optional(),
});
export type FindingRow = z.infer<typeof findingSchema>;

export const findingsPageSchema = z.object({
  findings: z.array(findingSchema),
  /** Opaque cursor of the next page; absent on the last page. */
  next: z.string().optional(),
});
export type FindingsPage = z.infer<typeof findingsPageSchema>;

/** The values the filters offer (accounts, the active pack's policies and frameworks). */
export const findingsFacetsSchema = z.object({
  accounts: z.array(z.object({ accountId: z.string(), name: z.string() })),
  policies: z.array(z.object({ policyId: z.string(), title: z.string().nullable() })),
  frameworks: z.array(z.object({ id: z.string(), name: z.string() })),
  severities: z.array(severitySchema),
  statuses: z.array(statusSchema),
});

export const findingKeySchema = z.object({ resourceId: z.string().min(1), policyId: z.string().min(1) });

export const findingDetailSchema = z.object({
  finding: findingSchema,
  /** The stored resource's attributes; null when the resource is no longer stored. */
  resource: z.unknown().nullable(),
  /** The transitions into FAIL (opened) and out of it (resolved), oldest first, with what caused each. */
  history: z.array(
    z.object({
      openedAt: z.string(),
      trigger: triggerSchema,
      status: z.enum(['OPEN', 'RESOLVED']),
      resolvedAt: z.string().nullable(),
      resolvedBy: z.string().nullable(),
    }),
  ),
});
export type FindingDetail = z.infer<typeof findingDetailSchema>;

export const exceptionInputSchema = z.object({
  policyId: z.string(),
  /** A resource-ID glob: `*` any run of characters, `?` one. */
  resourcePattern: z.string(),
  reason: z.string(),
  owner: z.string(),
  /** `YYYY-MM-DD`: the last day it applies (UTC). */
  expires: z.string(),
});
export const addExceptionsSchema = z.object({ exceptions: z.array(exceptionInputSchema).min(1).max(100) });

export const exceptionSchema = exceptionInputSchema.extend({ exceptionId: z.string(), createdAt: z.string(), active: z.boolean() });
export type ExceptionRow = z.infer<typeof exceptionSchema>;
export const exceptionsListSchema = z.object({ exceptions: z.array(exceptionSchema) });

export const addedExceptionsSchema = z.object({
  added: z.array(
    z.object({
      exception: exceptionSchema,
      /** Failing findings it covers now (suppressed at once). */
      covered: z.number(),
      /** Alerts resolved by it. */
      resolved: z.number(),
      policyEnabled: z.boolean(),
    }),
  ),
});
export const removedExceptionSchema = z.object({ exceptionId: z.string(), reopened: z.number(), opened: z.number() });
