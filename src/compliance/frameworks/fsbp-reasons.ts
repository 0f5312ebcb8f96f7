/**
 * The FSBP model's building blocks: one constructor for a control (Security Hub evaluates every
 * FSBP control automatically; its service is the ID's prefix) and one phrasing per kind of reason
 * a control has no built-in policy, so the coverage table reads alike and the kinds can be counted:
 * the resource type is not modeled, the data is not collected, or the answer joins two resources.
 */
import type { Control } from './framework.ts';

export const control = (id: string, title: string, notAutomatable?: string): Control => ({
  id,
  title,
  section: id.split('.')[0]!,
  assessment: 'Automated',
  ...(notAutomatable ? { notAutomatable } : {}),
});

/** The control evaluates a resource type Posture does not scan. */
export const notModeled = (type: string, note?: string): string => `needs ${type}, not a modeled type${note ? ` (${note})` : ''}`;

/** The answer is an account setting or a detail of a modeled type that no scanner reads. */
export const notCollected = (what: string): string => `needs ${what}, which Posture does not collect`;

/** The answer combines two resources; a policy judges one resource at a time. */
export const joins = (what: string): string => `joins ${what}; a policy sees one resource at a time`;
