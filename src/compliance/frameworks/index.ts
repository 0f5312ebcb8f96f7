/**
 * The frameworks Posture knows, and the lookups over them: by canonical name, short ID or alias
 * (case-insensitive), and the control a policy's `Reports` entry names.
 */
import { z } from 'zod';
import { CIS_AWS_3_0 } from './cis-aws-3.0.ts';
import { CIS_AWS_1_2, CIS_AWS_1_4 } from './cis-aws-legacy.ts';
import { FrameworkSchema, type Control, type Framework } from './framework.ts';
import { FSBP } from './fsbp.ts';
import { NIST_800_53_R5 } from './nist-800-53-r5.ts';
import { PCI_DSS_4_0 } from './pci-dss-4.0.ts';
import { SECURITY_HUB_CONTROLS } from './securityhub-controls.ts';

export type { Control, Framework } from './framework.ts';

/** Checked once at load: a malformed data file fails every import, not a report later. */
export const FRAMEWORKS: readonly Framework[] = z.array(FrameworkSchema).parse([CIS_AWS_3_0, FSBP, SECURITY_HUB_CONTROLS, PCI_DSS_4_0, NIST_800_53_R5, CIS_AWS_1_4, CIS_AWS_1_2]);

const key = (s: string): string => s.trim().toLowerCase();

const BY_NAME = new Map<string, Framework>();
for (const f of FRAMEWORKS) {
  for (const n of [f.name, f.id, ...f.aliases]) {
    const k = key(n);
    const seen = BY_NAME.get(k);
    if (seen && seen !== f) throw new Error(`frameworks: '${n}' names both ${seen.id} and ${f.id}`);
    BY_NAME.set(k, f);
  }
}

/** The framework a name, short ID or alias (a `Reports` key) designates, case-insensitive. */
export const findFramework = (name: string): Framework | undefined => BY_NAME.get(key(name));

export const findControl = (f: Framework, id: string): Control | undefined => f.controls.find((c) => c.id === id.trim());

/** One line naming the known frameworks, for errors. */
export const knownFrameworks = (): string => FRAMEWORKS.map((f) => `${f.id} (${f.name})`).join(', ');

/** Security Hub's spelling of a requirement: `NAME/CONTROL`. */
export const requirementName = (framework: string, control: string): string => `${framework}/${control}`;
