/**
 * Security Hub controls outside FSBP: checks Security Hub runs for its CIS AWS Foundations, NIST
 * SP 800-53 Rev. 5 or PCI DSS standards that AWS does not assign to the FSBP standard (e.g. KMS.4,
 * key rotation; EC2.13, SSH open to the world). Policies that answer one report its Security Hub
 * control ID under this framework's key (`AWS Security Hub`), so FSBP's status counts only FSBP's
 * controls while a finding still names the Security Hub control it answers. The list is the
 * controls the built-in pack answers, not all of Security Hub's.
 */
import type { Framework } from './framework.ts';
import { control } from './fsbp-reasons.ts';

export const SECURITY_HUB_CONTROLS: Framework = {
  id: 'securityhub',
  name: 'AWS Security Hub controls outside FSBP',
  aliases: ['AWS Security Hub', 'Security Hub', 'securityhub-controls'],
  coverage: 'mapped',
  scope: 'Security Hub controls that AWS assigns to its CIS, NIST SP 800-53 or PCI DSS standards but not to FSBP, under their Security Hub control IDs: the ones the pack answers, not all of Security Hub\'s.',
  controls: [
    control('CloudTrail.3', 'At least one CloudTrail trail should be enabled'),
    control('CloudWatch.16', 'CloudWatch log groups should be retained for a specified time period'),
    control('EC2.13', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22'),
    control('EC2.14', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389'),
    control('EC2.53', 'EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports'),
    control('EC2.54', 'EC2 security groups should not allow ingress from ::/0 to remote server administration ports'),
    control('IAM.9', 'MFA should be enabled for the root user'),
    control('IAM.11', 'Ensure IAM password policy requires at least one uppercase letter'),
    control('IAM.12', 'Ensure IAM password policy requires at least one lowercase letter'),
    control('IAM.13', 'Ensure IAM password policy requires at least one symbol'),
    control('IAM.14', 'Ensure IAM password policy requires at least one number'),
    control('IAM.15', 'Ensure IAM password policy requires minimum password length of 14 or greater'),
    control('IAM.16', 'Ensure IAM password policy prevents password reuse'),
    control('IAM.17', 'Ensure IAM password policy expires passwords within 90 days or less'),
    control('IAM.19', 'MFA should be enabled for all IAM users'),
    control('IAM.27', 'IAM identities should not have the AWSCloudShellFullAccess policy attached'),
    control('KMS.4', 'AWS KMS key rotation should be enabled'),
    control('Lambda.3', 'Lambda functions should be in a VPC'),
    control('Lambda.7', 'Lambda functions should have AWS X-Ray active tracing enabled'),
    control('S3.14', 'S3 general purpose buckets should have versioning enabled'),
    control('S3.15', 'S3 general purpose buckets should have Object Lock enabled'),
    control('S3.17', 'S3 general purpose buckets should be encrypted at rest with AWS KMS keys'),
    control('S3.20', 'S3 general purpose buckets should have MFA delete enabled'),
    control('S3.22', 'S3 general purpose buckets should log object-level write events'),
    control('S3.23', 'S3 general purpose buckets should log object-level read events'),
  ],
};
