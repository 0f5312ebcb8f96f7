/**
 * Earlier CIS AWS Foundations Benchmark versions that Panther-style specs still report against
 * (v1.2.0, v1.4.0): only the controls the pack maps to are listed (`coverage: 'mapped'`).
 */
import type { Control, Framework } from './framework.ts';

const c = (id: string, section: string, title: string): Control => ({ id, section, title, assessment: 'Automated' });
const IAM = '1 Identity and Access Management';

export const CIS_AWS_1_2: Framework = {
  id: 'cis-1.2',
  name: 'CIS AWS Foundations Benchmark v1.2.0',
  aliases: ['CIS AWS Foundations 1.2.0', 'CIS AWS Foundations 1.2', 'CIS AWS Foundations Benchmark v1.2'],
  coverage: 'mapped',
  controls: [
    c('1.2', IAM, 'Ensure MFA is enabled for all IAM users that have a console password'),
    c('1.4', IAM, 'Ensure access keys are rotated every 90 days or less'),
    c('1.5', IAM, 'Ensure IAM password policy requires at least one uppercase letter'),
    c('1.6', IAM, 'Ensure IAM password policy require at least one lowercase letter'),
    c('1.7', IAM, 'Ensure IAM password policy require at least one symbol'),
    c('1.8', IAM, 'Ensure IAM password policy require at least one number'),
    c('1.9', IAM, 'Ensure IAM password policy requires minimum length of 14 or greater'),
    c('1.10', IAM, 'Ensure IAM password policy prevents password reuse'),
    c('1.11', IAM, 'Ensure IAM password policy expires passwords within 90 days or less'),
    c('1.12', IAM, 'Ensure no root account access key exists'),
    c('1.13', IAM, 'Ensure MFA is enabled for the root account'),
    c('1.14', IAM, 'Ensure hardware MFA is enabled for the root account'),
    c('1.16', IAM, 'Ensure IAM policies are attached only to groups or roles'),
    c('1.22', IAM, 'Ensure IAM policies that allow full "*:*" administrative privileges are not created'),
    c('2.1', '2 Logging', 'Ensure CloudTrail is enabled in all regions'),
    c('2.2', '2 Logging', 'Ensure CloudTrail log file validation is enabled'),
    c('2.5', '2 Logging', 'Ensure AWS Config is enabled in all regions'),
    c('2.6', '2 Logging', 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket'),
    c('2.7', '2 Logging', 'Ensure CloudTrail logs are encrypted at rest using KMS CMKs'),
    c('2.8', '2 Logging', 'Ensure rotation for customer created CMKs is enabled'),
    c('2.9', '2 Logging', 'Ensure VPC flow logging is enabled in all VPCs'),
    c('4.1', '4 Networking', 'Ensure no security groups allow ingress from 0.0.0.0/0 to port 22'),
    c('4.2', '4 Networking', 'Ensure no security groups allow ingress from 0.0.0.0/0 to port 3389'),
    c('4.3', '4 Networking', 'Ensure the default security group of every VPC restricts all traffic'),
  ],
};

export const CIS_AWS_1_4: Framework = {
  id: 'cis-1.4',
  name: 'CIS AWS Foundations Benchmark v1.4.0',
  aliases: ['CIS AWS Foundations 1.4.0', 'CIS AWS Foundations 1.4', 'CIS AWS Foundations Benchmark v1.4'],
  coverage: 'mapped',
  controls: [
    c('1.14', IAM, 'Ensure access keys are rotated every 90 days or less'),
    c('1.16', IAM, 'Ensure IAM policies that allow full "*:*" administrative privileges are not attached'),
    c('2.1.1', '2.1 Simple Storage Service (S3)', 'Ensure all S3 buckets employ encryption-at-rest'),
    c('5.2', '5 Networking', 'Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports'),
  ],
};
