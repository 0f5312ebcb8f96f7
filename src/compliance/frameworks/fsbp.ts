/**
 * AWS Foundational Security Best Practices v1.0.0 (Security Hub CSPM's FSBP standard): every
 * control AWS applies to the standard — retired controls are not listed — under Security Hub's
 * control IDs and titles, split by service into two data files. Security Hub controls that AWS
 * assigns only to its other standards (CIS, NIST, PCI DSS) are not FSBP's: they are listed in
 * securityhub-controls.ts, under their own key.
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
