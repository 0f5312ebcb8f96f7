/**
 * PCI DSS v4.0 and NIST SP 800-53 Rev. 5: known by name so that packs can report against them;
 * their controls are the ones some policy maps to (none in the built-in pack yet), the full lists
 * come with coverage work.
 */
import type { Framework } from './framework.ts';

export const PCI_DSS_4_0: Framework = {
  id: 'pci-4.0',
  name: 'PCI DSS v4.0.1',
  aliases: ['PCI DSS 4.0', 'PCI DSS v4.0', 'PCI DSS 4.0.1', 'PCI DSS'],
  coverage: 'mapped',
  controls: [],
};

export const NIST_800_53_R5: Framework = {
  id: 'nist-800-53-r5',
  name: 'NIST SP 800-53 Revision 5',
  aliases: ['NIST 800-53 Rev. 5', 'NIST SP 800-53 Rev. 5', 'NIST.800-53.r5', 'NIST 800-53'],
  coverage: 'mapped',
  controls: [],
};
