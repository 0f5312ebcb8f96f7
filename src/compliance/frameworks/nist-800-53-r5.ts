/**
 * NIST SP 800-53 Rev. 5: the controls AWS Security Hub maps to the FSBP controls of the built-in
 * pack ("Related requirements" of each control), by their NIST IDs and names. Not the catalog:
 * most of its controls are organizational and no configuration check answers them.
 */
import type { Control, Framework } from './framework.ts';

/** `AC-2(1)` → family `AC`; a name with `|` is the base control's name, then the enhancement's. */
const c = (id: string, title: string): Control => ({ id, title, section: id.slice(0, 2), assessment: 'Automated' });
const ACCOUNT = 'Account Management |';
const ACCESS = 'Access Enforcement |';
const FLOW = 'Information Flow Enforcement |';
const LEAST = 'Least Privilege |';
const REVIEW = 'Audit Record Review, Analysis, and Reporting |';
const AUDIT_PROTECT = 'Protection of Audit Information |';
const BASELINE = 'Baseline Configuration |';
const INVENTORY = 'System Component Inventory |';
const ALT_STORAGE = 'Alternate Storage Site |';
const IA2 = 'Identification and Authentication (Organizational Users) |';
const AUTHENTICATOR = 'Authenticator Management |';
const PRINCIPLES = 'Security and Privacy Engineering Principles |';
const DEV_TEST = 'Developer Testing and Evaluation |';
const DEV_PROCESS = 'Development Process, Standards, and Tools |';
const DOS = 'Denial-of-service Protection |';
const BOUNDARY = 'Boundary Protection |';
const TRANSMISSION = 'Transmission Confidentiality and Integrity |';
const KEYS = 'Cryptographic Key Establishment and Management |';
const SESSION = 'Session Authenticity |';
const AT_REST = 'Protection of Information at Rest |';
const FLAW = 'Flaw Remediation |';
const MONITORING = 'System Monitoring |';
const INTEGRITY = 'Software, Firmware, and Information Integrity |';

export const NIST_800_53_R5: Framework = {
  id: 'nist-800-53-r5',
  name: 'NIST SP 800-53 Revision 5',
  aliases: ['NIST 800-53 Rev. 5', 'NIST SP 800-53 Rev. 5', 'NIST.800-53.r5', 'NIST 800-53'],
  coverage: 'mapped',
  scope:
    'The NIST SP 800-53 Rev. 5 controls that AWS Security Hub maps to the Security Hub controls this pack implements (FSBP controls and others) (each control\'s "Related requirements"), not the whole catalog: most of its controls are organizational or procedural, and no configuration check answers them.',
  controls: [
    c('AC-2', 'Account Management'),
    c('AC-2(1)', `${ACCOUNT} Automated System Account Management`),
    c('AC-2(3)', `${ACCOUNT} Disable Accounts`),
    c('AC-2(4)', `${ACCOUNT} Automated Audit Actions`),
    c('AC-2(12)', `${ACCOUNT} Account Monitoring for Atypical Usage`),
    c('AC-3', 'Access Enforcement'),
    c('AC-3(7)', `${ACCESS} Role-based Access Control`),
    c('AC-3(15)', `${ACCESS} Discretionary and Mandatory Access Control`),
    c('AC-4', 'Information Flow Enforcement'),
    c('AC-4(21)', `${FLOW} Physical or Logical Separation of Information Flows`),
    c('AC-4(26)', `${FLOW} Audit Filtering Actions`),
    c('AC-5', 'Separation of Duties'),
    c('AC-6', 'Least Privilege'),
    c('AC-6(2)', `${LEAST} Non-privileged Access for Nonsecurity Functions`),
    c('AC-6(3)', `${LEAST} Network Access to Privileged Commands`),
    c('AC-6(9)', `${LEAST} Log Use of Privileged Functions`),
    c('AC-6(10)', `${LEAST} Prohibit Non-privileged Users from Executing Privileged Functions`),
    c('AC-17(2)', 'Remote Access | Protection of Confidentiality and Integrity Using Encryption'),
    c('AC-21', 'Information Sharing'),
    c('AU-2', 'Event Logging'),
    c('AU-3', 'Content of Audit Records'),
    c('AU-6(1)', `${REVIEW} Automated Process Integration`),
    c('AU-6(3)', `${REVIEW} Correlate Audit Record Repositories`),
    c('AU-6(4)', `${REVIEW} Central Review and Analysis`),
    c('AU-6(5)', `${REVIEW} Integrated Analysis of Audit Records`),
    c('AU-7(1)', 'Audit Record Reduction and Report Generation | Automatic Processing'),
    c('AU-9', 'Protection of Audit Information'),
    c('AU-9(2)', `${AUDIT_PROTECT} Store on Separate Physical Systems or Components`),
    c('AU-9(7)', `${AUDIT_PROTECT} Store on Component with Different Operating System`),
    c('AU-10', 'Non-repudiation'),
    c('AU-11', 'Audit Record Retention'),
    c('AU-12', 'Audit Record Generation'),
    c('AU-14(1)', 'Session Audit | System Start-up'),
    c('CA-7', 'Continuous Monitoring'),
    c('CA-9(1)', 'Internal System Connections | Compliance Checks'),
    c('CM-2', 'Baseline Configuration'),
    c('CM-2(2)', `${BASELINE} Automation Support for Accuracy and Currency`),
    c('CM-3', 'Configuration Change Control'),
    c('CM-3(6)', 'Configuration Change Control | Cryptography Management'),
    c('CM-6(1)', 'Configuration Settings | Automated Management, Application, and Verification'),
    c('CM-7', 'Least Functionality'),
    c('CM-8', 'System Component Inventory'),
    c('CM-8(1)', `${INVENTORY} Updates During Installation and Removal`),
    c('CM-8(2)', `${INVENTORY} Automated Maintenance`),
    c('CM-8(3)', `${INVENTORY} Automated Unauthorized Component Detection`),
    c('CP-2', 'Contingency Plan'),
    c('CP-2(2)', 'Contingency Plan | Capacity Planning'),
    c('CP-6', 'Alternate Storage Site'),
    c('CP-6(1)', `${ALT_STORAGE} Separation from Primary Site`),
    c('CP-6(2)', `${ALT_STORAGE} Recovery Time and Recovery Point Objectives`),
    c('CP-9', 'System Backup'),
    c('CP-9(8)', 'System Backup | Cryptographic Protection'),
    c('CP-10', 'System Recovery and Reconstitution'),
    c('IA-2(1)', `${IA2} Multi-factor Authentication to Privileged Accounts`),
    c('IA-2(2)', `${IA2} Multi-factor Authentication to Non-privileged Accounts`),
    c('IA-2(6)', `${IA2} Access to Accounts — Separate Device`),
    c('IA-2(8)', `${IA2} Access to Accounts — Replay Resistant`),
    c('IA-5(1)', `${AUTHENTICATOR} Password-based Authentication`),
    c('IA-5(7)', `${AUTHENTICATOR} No Embedded Unencrypted Static Authenticators`),
    c('RA-3(4)', 'Risk Assessment | Predictive Cyber Analytics'),
    c('RA-5', 'Vulnerability Monitoring and Scanning'),
    c('SA-3', 'System Development Life Cycle'),
    c('SA-8(19)', `${PRINCIPLES} Continuous Protection`),
    c('SA-8(21)', `${PRINCIPLES} Self-analysis`),
    c('SA-8(22)', `${PRINCIPLES} Accountability and Traceability`),
    c('SA-8(25)', `${PRINCIPLES} Economic Security`),
    c('SA-11(1)', `${DEV_TEST} Static Code Analysis`),
    c('SA-11(6)', `${DEV_TEST} Attack Surface Reviews`),
    c('SA-15(2)', `${DEV_PROCESS} Security and Privacy Tracking Tools`),
    c('SA-15(8)', `${DEV_PROCESS} Reuse of Threat and Vulnerability Information`),
    c('SC-5', 'Denial-of-service Protection'),
    c('SC-5(1)', `${DOS} Restrict Ability to Attack Other Systems`),
    c('SC-5(2)', `${DOS} Capacity, Bandwidth, and Redundancy`),
    c('SC-5(3)', `${DOS} Detection and Monitoring`),
    c('SC-7', 'Boundary Protection'),
    c('SC-7(3)', `${BOUNDARY} Access Points`),
    c('SC-7(4)', `${BOUNDARY} External Telecommunications Services`),
    c('SC-7(5)', `${BOUNDARY} Deny by Default — Allow by Exception`),
    c('SC-7(9)', `${BOUNDARY} Restrict Threatening Outgoing Communications Traffic`),
    c('SC-7(10)', `${BOUNDARY} Prevent Exfiltration`),
    c('SC-7(11)', `${BOUNDARY} Restrict Incoming Communications Traffic`),
    c('SC-7(16)', `${BOUNDARY} Prevent Discovery of System Components`),
    c('SC-7(18)', `${BOUNDARY} Fail Secure`),
    c('SC-7(20)', `${BOUNDARY} Dynamic Isolation and Segregation`),
    c('SC-7(21)', `${BOUNDARY} Isolation of System Components`),
    c('SC-8', 'Transmission Confidentiality and Integrity'),
    c('SC-8(1)', `${TRANSMISSION} Cryptographic Protection`),
    c('SC-8(2)', `${TRANSMISSION} Pre- and Post-transmission Handling`),
    c('SC-12', 'Cryptographic Key Establishment and Management'),
    c('SC-12(2)', `${KEYS} Symmetric Keys`),
    c('SC-12(3)', `${KEYS} Asymmetric Keys`),
    c('SC-13', 'Cryptographic Protection'),
    c('SC-23', 'Session Authenticity'),
    c('SC-23(3)', `${SESSION} Unique System-generated Session Identifiers`),
    c('SC-23(5)', `${SESSION} Allowed Certificate Authorities`),
    c('SC-28', 'Protection of Information at Rest'),
    c('SC-28(1)', `${AT_REST} Cryptographic Protection`),
    c('SC-28(3)', `${AT_REST} Cryptographic Keys`),
    c('SC-36', 'Distributed Processing and Storage'),
    c('SI-2', 'Flaw Remediation'),
    c('SI-2(2)', `${FLAW} Automated Flaw Remediation Status`),
    c('SI-2(4)', `${FLAW} Automated Patch Management Tools`),
    c('SI-2(5)', `${FLAW} Automatic Software and Firmware Updates`),
    c('SI-3(8)', 'Malicious Code Protection | Detect Unauthorized Commands'),
    c('SI-4', 'System Monitoring'),
    c('SI-4(1)', `${MONITORING} System-wide Intrusion Detection System`),
    c('SI-4(2)', `${MONITORING} Automated Tools and Mechanisms for Real-time Analysis`),
    c('SI-4(4)', `${MONITORING} Inbound and Outbound Communications Traffic`),
    c('SI-4(5)', `${MONITORING} System-generated Alerts`),
    c('SI-4(13)', `${MONITORING} Analyze Traffic and Event Patterns`),
    c('SI-4(20)', `${MONITORING} Privileged Users`),
    c('SI-4(22)', `${MONITORING} Unauthorized Network Services`),
    c('SI-4(25)', `${MONITORING} Optimize Network Traffic Analysis`),
    c('SI-7(1)', `${INTEGRITY} Integrity Checks`),
    c('SI-7(3)', `${INTEGRITY} Centrally Managed Integrity Tools`),
    c('SI-7(6)', `${INTEGRITY} Cryptographic Protection`),
    c('SI-7(7)', `${INTEGRITY} Integration of Detection and Response`),
    c('SI-7(8)', `${INTEGRITY} Auditing Capability for Significant Events`),
    c('SI-12', 'Information Management and Retention'),
    c('SI-13', 'Predictable Failure Prevention'),
    c('SI-13(5)', 'Predictable Failure Prevention | Failover Capability'),
    c('SI-20', 'Tainting'),
  ],
};
