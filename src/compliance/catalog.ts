/**
 * The policy catalog: what the active policy pack says about each policy (name, severity, types,
 * the framework controls it reports against, its texts). Produced by the Python engine from the
 * pack (`python -m posture_engine.catalog`), validated here, and joined with findings so that every
 * export and the compliance view carry the framework mappings.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '#core/types.ts';
import type { Finding } from './findings.ts';
import { FRAMEWORKS, findControl, findFramework, requirementName } from './frameworks/index.ts';

export const CatalogEntrySchema = z.object({
  policyId: z.string().min(1),
  displayName: z.string().nullable(),
  severity: z.enum(SEVERITIES as [Severity, ...Severity[]]),
  /** Empty: the policy applies to every resource type. */
  resourceTypes: z.array(z.string()),
  enabled: z.boolean(),
  /**
   * False when the frameworks chosen (`posture scan --frameworks`, the stack's posture:frameworks)
   * leave the policy out; it is then disabled too (`enabled: false`). Absent from older engines: true.
   */
  selected: z.boolean().optional(),
  /** Panther's `Reports`: framework name (as the spec spells it) → control IDs. */
  reports: z.record(z.string(), z.array(z.string())),
  description: z.string().nullable(),
  runbook: z.string().nullable(),
  reference: z.string().nullable(),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

export const PolicyCatalogSchema = z.object({
  /** Where the pack was read from (a bundle's content hash, or the directories). */
  source: z.string(),
  policies: z.array(CatalogEntrySchema),
});
export type PolicyCatalog = z.infer<typeof PolicyCatalogSchema>;

/** One control a policy reports against, named as the framework model names it when it knows it. */
export interface Requirement {
  /** The canonical framework name, or the spec's own key when Posture does not know the framework. */
  framework: string;
  /** The framework's short ID; null for an unknown framework. */
  frameworkId: string | null;
  control: string;
  /** False when the framework is unknown or does not list this control ID. */
  known: boolean;
}

/**
 * The requirements of a policy, in the framework model's order (CIS v3.0 first), unknown
 * frameworks last, so the first one is the control an export names when it names one.
 */
export function requirementsOf(entry: Pick<CatalogEntry, 'reports'>): Requirement[] {
  const out: Requirement[] = [];
  for (const [key, controls] of Object.entries(entry.reports)) {
    const f = findFramework(key);
    for (const control of controls) {
      out.push({ framework: f?.name ?? key, frameworkId: f?.id ?? null, control, known: Boolean(f && findControl(f, control)) });
    }
  }
  const rank = (r: Requirement) => (r.frameworkId === null ? FRAMEWORKS.length : FRAMEWORKS.findIndex((f) => f.id === r.frameworkId));
  return out.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map(({ r }) => r);
}

/** `NAME/CONTROL` strings, as Security Hub's RelatedRequirements and OCSF requirements hold them. */
export const requirementNames = (reqs: readonly Requirement[]): string[] => [...new Set(reqs.map((r) => requirementName(r.framework, r.control)))];

export const catalogIndex = (catalog: PolicyCatalog): Map<string, CatalogEntry> => new Map(catalog.policies.map((p) => [p.policyId, p]));

/**
 * Findings joined with their policy's catalog entry: the framework requirements, and the texts the
 * stored verdict lacks (verdicts keep the texts of their last state change only).
 */
export function joinCatalog(findings: readonly Finding[], catalog: PolicyCatalog): Finding[] {
  const byId = catalogIndex(catalog);
  return findings.map((f) => {
    const p = byId.get(f.policyId);
    if (!p) return { ...f, requirements: f.requirements ?? [] };
    return {
      ...f,
      title: f.title ?? p.displayName,
      description: f.description ?? p.description,
      runbook: f.runbook ?? p.runbook,
      reference: f.reference ?? p.reference,
      requirements: requirementsOf(p),
    };
  });
}
