/**
 * The Cloud Accounts contract (GET /api/accounts, the Connect-an-account wizard's set-up, verify
 * and create, and the baseline scan's progress). The request fields are only shaped here: the
 * domain (validateNewAccount, src/onboarding/onboarding.ts) is the one validation of an account,
 * and its one-line error is the 400. Imports only zod (the SPA bundles this file).
 */
import { z } from 'zod';

const groupSchema = z.object({ outcome: z.string(), count: z.number(), scopes: z.array(z.object({ scope: z.string(), message: z.string().nullable() })) });

export const scanSummarySchema = z.object({
  scanId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  scopes: z.number(),
  ok: z.number(),
  notEvaluated: z.number(),
  /** Scopes not evaluated, grouped by outcome with each reason. */
  byOutcome: z.array(groupSchema),
});

export const accountRowSchema = z.object({
  accountId: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  addedAt: z.string().nullable(),
  /** The account's own audit role name; null: the deployment's. */
  roleName: z.string().nullable(),
  excludeRegions: z.array(z.string()),
  excludeTypes: z.array(z.string()),
  excludeResources: z.array(z.string()),
  /** The account's newest scheduled scan (what `posture accounts verify` shows); null: never scanned. */
  lastScan: scanSummarySchema.nullable(),
  /** Canaries of `verify` that reached the real-time path, newest per region. */
  canaries: z.array(z.object({ region: z.string(), receivedAt: z.string() })),
});
export type AccountRow = z.infer<typeof accountRowSchema>;
export const accountListSchema = z.object({ accounts: z.array(accountRowSchema) });

/** The wizard's account: name, ID and the advanced exclusions (the ExternalId comes from set-up). */
export const newAccountSchema = z.object({
  accountId: z.string(),
  name: z.string(),
  externalId: z.string().min(1),
  excludeRegions: z.array(z.string()).default([]),
  excludeTypes: z.array(z.string()).default([]),
  excludeResources: z.array(z.string()).default([]),
});
export type NewAccount = z.infer<typeof newAccountSchema>;

/** Set-up asks for an ExternalId and the templates for this account. */
export const setupRequestSchema = newAccountSchema.omit({ externalId: true }).extend({ externalId: z.string().min(1).optional() });

export const setupSchema = z.object({
  /** Generated as `posture accounts add` does (kept by the wizard until the account is created). */
  externalId: z.string(),
  securityAccountId: z.string(),
  eventBusArn: z.string(),
  auditRoleName: z.string(),
  /** The AWS console's CloudFormation quick-create link, parameters filled. */
  quickCreateUrl: z.string(),
  cloudFormation: z.string(),
  /** Terraform files by name. */
  terraform: z.record(z.string(), z.string()),
  /** A manual role: the trust policy and the actions beyond the SecurityAudit managed policy. */
  manual: z.object({ trustPolicy: z.string(), managedPolicyArn: z.string(), extraActions: z.array(z.string()) }),
});
export type Setup = z.infer<typeof setupSchema>;

export const checkSchema = z.object({ name: z.string(), status: z.enum(['pass', 'fail', 'skip']), detail: z.string() });
export const verifySchema = z.object({ ok: z.boolean(), checks: z.array(checkSchema) });

export const scanRunSchema = z.object({
  runId: z.string(),
  accountId: z.string(),
  state: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED']),
  /** The scan's ledger ID once known. */
  scanId: z.string().nullable(),
  /** Scopes planned, when the runtime knows. */
  planned: z.number().nullable(),
  error: z.string().nullable(),
});
export type ScanRun = z.infer<typeof scanRunSchema>;

/** A scan run and what its ledger holds so far. */
export const scanProgressSchema = z.object({
  run: scanRunSchema,
  recorded: scanSummarySchema.nullable(),
  /** Once the scan succeeded: the account's results (as `posture findings --account` lists them), failing ones first. */
  findings: z
    .object({
      pass: z.number(),
      fail: z.number(),
      failing: z.array(z.object({ policyId: z.string(), resourceId: z.string(), severity: z.string() })),
    })
    .nullable(),
});
/** How many failing results the progress lists. */
export const FAILING_LISTED = 50;
export const createdSchema = z.object({ account: accountRowSchema, run: scanRunSchema });
