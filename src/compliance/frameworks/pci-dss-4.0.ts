/**
 * PCI DSS v4.0.1: the requirements AWS Security Hub maps to the FSBP controls of the built-in pack
 * ("Related requirements", v4.0.1 only; the v3.2.1 mappings are a different standard). Titles are
 * short paraphrases; the section is the principal requirement (1–12). Most of PCI DSS is process
 * and evidence no configuration check answers, so this is not the standard's full list.
 */
import type { Control, Framework } from './framework.ts';

const c = (id: string, title: string): Control => ({ id, title, section: id.split('.')[0]!, assessment: 'Automated' });

export const PCI_DSS_4_0: Framework = {
  id: 'pci-4.0',
  name: 'PCI DSS v4.0.1',
  aliases: ['PCI DSS 4.0', 'PCI DSS v4.0', 'PCI DSS 4.0.1', 'PCI DSS'],
  coverage: 'mapped',
  scope:
    'The PCI DSS v4.0.1 requirements that AWS Security Hub maps to the Security Hub controls this pack implements (FSBP controls and others) (each control\'s "Related requirements"), not the whole standard: most of its requirements are processes, reviews and evidence that no configuration check answers.',
  controls: [
    c('1.2.7', 'Network security control configurations are reviewed at least every six months'),
    c('1.3.1', 'Inbound traffic to the cardholder data environment is restricted to what is necessary'),
    c('1.4.4', 'System components that store cardholder data are not directly reachable from untrusted networks'),
    c('2.2.2', 'Vendor default accounts are disabled or their passwords changed'),
    c('2.2.6', 'System security parameters are configured to prevent misuse'),
    c('3.2.1', 'Stored account data is kept to a minimum, with retention and disposal limits'),
    c('3.5.1', 'Stored PAN is rendered unreadable'),
    c('3.7.4', 'Cryptographic keys are changed at the end of their cryptoperiod'),
    c('4.2.1', 'Strong cryptography protects PAN in transit over open, public networks'),
    c('6.2.3', 'Bespoke and custom software is reviewed for vulnerabilities before release'),
    c('6.2.4', 'Software engineering techniques prevent or mitigate common software attacks'),
    c('6.3.1', 'Security vulnerabilities are identified and their risk ranked'),
    c('6.3.3', 'Known vulnerabilities are fixed by installing security patches and updates'),
    c('6.4.2', 'An automated solution detects and prevents web-based attacks on public-facing web applications'),
    c('7.2.1', 'An access control model grants access by job function and least privilege'),
    c('7.3.1', 'An access control system restricts access by need to know'),
    c('8.2.6', 'Inactive user accounts are removed or disabled within 90 days'),
    c('8.3.1', 'All user access is authenticated with at least one factor'),
    c('8.3.2', 'Authentication factors are unreadable in transmission and storage'),
    c('8.3.6', 'Passwords meet minimum length and complexity'),
    c('8.3.7', 'New passwords differ from the last four used'),
    c('8.3.9', 'Passwords used as the only factor are changed at least every 90 days'),
    c('8.3.10.1', 'Customer passwords used as the only factor are changed at least every 90 days'),
    c('8.4.2', 'Multi-factor authentication for all access into the cardholder data environment'),
    c('8.6.3', 'Passwords of application and system accounts are protected and changed periodically'),
    c('10.2.1', 'Audit logs are enabled and active for all system components'),
    c('10.3.2', 'Audit log files are protected against modification'),
    c('10.3.3', 'Audit log files are promptly backed up to a secure, central store'),
    c('10.4.2', 'Logs of all other system components are reviewed periodically'),
    c('10.5.1', 'Audit log history is retained for at least 12 months'),
    c('11.3.1', 'Internal vulnerability scans are performed at least every three months'),
    c('11.5.1', 'Intrusion detection or prevention detects and alerts on intrusions'),
    c('12.3.4', 'Hardware and software technologies in use are reviewed at least every 12 months'),
  ],
};
