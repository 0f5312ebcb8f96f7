/**
 * AWS Foundational Security Best Practices v1.0.0 (Security Hub CSPM's FSBP standard): every
 * control AWS applies to the standard — retired controls are not listed — under Security Hub's
 * control IDs and titles, split by service into two data files. The controls the built-in pack
 * reported under FSBP before the list was complete stay listed, so those mappings stay known,
 * though the sources place a few of them in Security Hub's other standards (CIS, NIST, PCI DSS).
 * Sources: the standard's control list and the "<service>-controls" pages of the Security Hub
 * user guide.
 */
import type { Framework } from './framework.ts';
import { FSBP_CONTROLS_A_E } from './fsbp-controls-a-e.ts';
import { FSBP_CONTROLS_F_Z } from './fsbp-controls-f-z.ts';

export const FSBP: Framework = {
  id: 'fsbp',
  name: 'AWS Foundational Security Best Practices v1.0.0',
  aliases: ['AWS Foundational Security Best Practices', 'FSBP', 'aws-foundational-security-best-practices'],
  coverage: 'complete',
  controls: [...FSBP_CONTROLS_A_E, ...FSBP_CONTROLS_F_Z],
};
