/**
 * AWS Foundational Security Best Practices (Security Hub's FSBP standard): the controls the
 * built-in pack maps to, under Security Hub's control IDs and titles. The full list comes with
 * coverage work (`coverage: 'mapped'`).
 */
import type { Control, Framework } from './framework.ts';

const c = (id: string, title: string): Control => ({ id, title, section: id.split('.')[0]!, assessment: 'Automated' });

export const FSBP: Framework = {
  id: 'fsbp',
  name: 'AWS Foundational Security Best Practices v1.0.0',
  aliases: ['AWS Foundational Security Best Practices', 'FSBP', 'aws-foundational-security-best-practices'],
  coverage: 'mapped',
  controls: [
    c('CloudTrail.1', 'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events'),
    c('CloudTrail.2', 'CloudTrail should have encryption at-rest enabled'),
    c('CloudTrail.4', 'CloudTrail log file validation should be enabled'),
    c('EC2.2', 'VPC default security groups should not allow inbound or outbound traffic'),
    c('EC2.6', 'VPC flow logging should be enabled in all VPCs'),
    c('EC2.8', 'EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)'),
    c('EC2.13', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22'),
    c('EC2.14', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389'),
    c('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk'),
    c('EC2.21', 'Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389'),
    c('IAM.1', 'IAM policies should not allow full "*" administrative privileges'),
    c('IAM.2', 'IAM users should not have IAM policies attached'),
    c('IAM.3', "IAM users' access keys should be rotated every 90 days or less"),
    c('IAM.4', 'IAM root user access key should not exist'),
    c('IAM.5', 'MFA should be enabled for all IAM users that have a console password'),
    c('IAM.6', 'Hardware MFA should be enabled for the root user'),
    c('IAM.9', 'MFA should be enabled for the root user'),
    c('IAM.15', 'Ensure IAM password policy requires minimum password length of 14 or greater'),
    c('IAM.16', 'Ensure IAM password policy prevents password reuse'),
    c('IAM.22', 'IAM user credentials unused for 45 days should be removed'),
    c('IAM.27', 'IAM identities should not have the AWSCloudShellFullAccess policy attached'),
    c('KMS.4', 'AWS KMS key rotation should be enabled'),
    c('RDS.2', 'RDS DB instances should prohibit public access, as determined by the PubliclyAccessible configuration'),
    c('RDS.3', 'RDS DB instances should have encryption at-rest enabled'),
    c('RDS.13', 'RDS automatic minor version upgrades should be enabled'),
    c('S3.2', 'S3 general purpose buckets should block public read access'),
    c('S3.3', 'S3 general purpose buckets should block public write access'),
    c('S3.4', 'S3 general purpose buckets should have server-side encryption enabled'),
    c('S3.5', 'S3 general purpose buckets should require requests to use SSL'),
    c('S3.8', 'S3 general purpose buckets should block public access'),
    c('S3.20', 'S3 general purpose buckets should have MFA delete enabled'),
    c('S3.22', 'S3 general purpose buckets should log object-level write events'),
    c('S3.23', 'S3 general purpose buckets should log object-level read events'),
  ],
};
