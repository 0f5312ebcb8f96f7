/**
 * The shape of a compliance framework (CIS, FSBP, PCI DSS, NIST): what a policy's `Reports` keys
 * name, and the controls their IDs point at. One schema; every framework file is data checked by it.
 */
import { z } from 'zod';

export const ASSESSMENTS = ['Automated', 'Manual'] as const;

export const ControlSchema = z.object({
  /** The framework's own ID, e.g. CIS `3.7` or FSBP `S3.8`. */
  id: z.string().min(1),
  title: z.string().min(1),
  /** The framework's section (CIS) or service (FSBP), for grouping. */
  section: z.string().min(1),
  /** Automated or Manual, as the framework states it. */
  assessment: z.enum(ASSESSMENTS),
  /**
   * Why Posture cannot decide this control from the configuration it collects (a judgement call,
   * or data no resource type collects yet). Such a control is reported as not automatable unless
   * the active pack has a policy mapped to it.
   */
  notAutomatable: z.string().min(1).optional(),
});
export type Control = z.infer<typeof ControlSchema>;

export const FrameworkSchema = z.object({
  /** Short ID for the command line: `cis-3.0`, `fsbp`, `pci-4.0`, `nist-800-53-r5`. */
  id: z.string().regex(/^[a-z0-9.-]+$/),
  /** Canonical name, as Security Hub writes it in RelatedRequirements (`NAME/CONTROL`). */
  name: z.string().min(1),
  /** Other spellings: the `Reports` keys of policy specs (Panther's), common short names. */
  aliases: z.array(z.string().min(1)),
  /**
   * `complete`: the controls are the framework's complete list. `mapped`: only the controls some
   * policy maps to are known (the full list comes with coverage work).
   */
  coverage: z.enum(['complete', 'mapped']),
  /**
   * For a `mapped` framework whose list is deliberately partial: what the listed controls are (and
   * why the rest are not), as the generated docs say it in place of "not yet the complete list".
   */
  scope: z.string().min(1).optional(),
  controls: z.array(ControlSchema),
});
export type Framework = z.infer<typeof FrameworkSchema>;
