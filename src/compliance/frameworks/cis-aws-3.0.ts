/**
 * CIS Amazon Web Services Foundations Benchmark v3.0.0: every control, with its section and the
 * assessment status the benchmark gives it (as prowler's compliance/aws/cis_3.0_aws.json records
 * it; later versions mark e.g. hardware root MFA Manual). Controls Posture cannot decide from the
 * configuration it collects say why (`notAutomatable`); they are listed, never left out.
 */
import type { Control, Framework } from './framework.ts';

const IAM = '1 Identity and Access Management';
const S3 = '2.1 Simple Storage Service (S3)';
const EC2 = '2.2 Elastic Compute Cloud (EC2)';
const RDS = '2.3 Relational Database Service (RDS)';
const EFS = '2.4 Elastic File System (EFS)';
const LOG = '3 Logging';
const MON = '4 Monitoring';
const NET = '5 Networking';

const ACCOUNT_SETTINGS = 'account contact and security settings are visible only in the Billing/Account console (root or billing access); Posture does not collect them';
const METRIC_FILTERS = 'needs the CloudTrail log group\'s metric filter patterns, their CloudWatch alarms and the alarms\' SNS subscriptions; Posture collects only a metric filter count, no alarms and no subscriptions';

const auto = (id: string, section: string, title: string, notAutomatable?: string): Control => ({ id, section, title, assessment: 'Automated', ...(notAutomatable ? { notAutomatable } : {}) });
const manual = (id: string, section: string, title: string, notAutomatable?: string): Control => ({ id, section, title, assessment: 'Manual', ...(notAutomatable ? { notAutomatable } : {}) });
const monitoring = (id: string, what: string): Control => auto(id, MON, `Ensure a log metric filter and alarm exist for ${what}`, METRIC_FILTERS);

export const CIS_AWS_3_0: Framework = {
  id: 'cis-3.0',
  name: 'CIS AWS Foundations Benchmark v3.0.0',
  aliases: ['CIS AWS Foundations Benchmark v3.0', 'CIS AWS Foundations 3.0', 'CIS AWS Foundations 3.0.0', 'CIS 3.0', 'cis-aws-3.0'],
  coverage: 'complete',
  controls: [
    manual('1.1', IAM, 'Maintain current contact details', ACCOUNT_SETTINGS),
    manual('1.2', IAM, 'Ensure security contact information is registered', 'alternate contacts need account:GetAlternateContact, which the audit role does not grant; Posture does not collect them'),
    manual('1.3', IAM, 'Ensure security questions are registered in the AWS account', ACCOUNT_SETTINGS),
    auto('1.4', IAM, "Ensure no 'root' user account access key exists"),
    auto('1.5', IAM, "Ensure MFA is enabled for the 'root' user account"),
    auto('1.6', IAM, "Ensure hardware MFA is enabled for the 'root' user account"),
    auto('1.7', IAM, "Eliminate use of the 'root' user for administrative and daily tasks", 'judging "daily use" of the root user needs its sign-in history (CloudTrail) and a threshold the benchmark leaves to the auditor; no built-in policy yet'),
    auto('1.8', IAM, 'Ensure IAM password policy requires minimum length of 14 or greater'),
    auto('1.9', IAM, 'Ensure IAM password policy prevents password reuse'),
    auto('1.10', IAM, 'Ensure MFA is enabled for all IAM users that have a console password'),
    auto('1.11', IAM, 'Do not set up access keys during initial user setup for IAM users with a console password'),
    auto('1.12', IAM, 'Ensure credentials unused for 45 days or greater are disabled'),
    auto('1.13', IAM, 'Ensure there is only one active access key for any single IAM user'),
    auto('1.14', IAM, 'Ensure access keys are rotated every 90 days or less'),
    auto('1.15', IAM, 'Ensure IAM users receive permissions only through groups'),
    auto('1.16', IAM, 'Ensure IAM policies that allow full "*:*" administrative privileges are not attached'),
    auto('1.17', IAM, 'Ensure a support role has been created to manage incidents with AWS Support', 'an account-wide check (some role has AWSSupportAccess attached): Posture evaluates one resource at a time and has no account-level IAM summary resource yet'),
    manual('1.18', IAM, 'Ensure IAM instance roles are used for AWS resource access from instances', 'whether an instance calls AWS APIs, and with embedded keys, cannot be read from its configuration'),
    auto('1.19', IAM, 'Ensure expired SSL/TLS certificates stored in AWS IAM are removed', 'IAM server certificates are not collected yet (no resource type)'),
    auto('1.20', IAM, 'Ensure IAM Access Analyzer is enabled for all regions'),
    manual('1.21', IAM, 'Ensure IAM users are managed centrally via identity federation or AWS Organizations', 'an organizational decision: which accounts may hold IAM users is not in any account\'s configuration'),
    manual('1.22', IAM, 'Ensure access to AWSCloudShellFullAccess is restricted'),
    auto('2.1.1', S3, 'Ensure S3 bucket policy is set to deny HTTP requests'),
    auto('2.1.2', S3, 'Ensure MFA Delete is enabled on S3 buckets'),
    manual('2.1.3', S3, 'Ensure all data in Amazon S3 has been discovered, classified and secured when required', 'data classification (Amazon Macie or a third-party tool) is a process, not a configuration setting Posture can read'),
    auto('2.1.4', S3, "Ensure S3 buckets are configured with 'Block public access (bucket settings)'"),
    auto('2.2.1', EC2, 'Ensure EBS volume encryption is enabled in all regions', 'the account-region setting EBS encryption by default (ec2:GetEbsEncryptionByDefault) is not collected yet'),
    auto('2.3.1', RDS, 'Ensure that encryption-at-rest is enabled for RDS instances'),
    auto('2.3.2', RDS, 'Ensure Auto Minor Version Upgrade feature is enabled for RDS instances'),
    auto('2.3.3', RDS, 'Ensure that public access is not given to RDS instances'),
    auto('2.4.1', EFS, 'Ensure that encryption is enabled for EFS file systems'),
    auto('3.1', LOG, 'Ensure CloudTrail is enabled in all regions'),
    auto('3.2', LOG, 'Ensure CloudTrail log file validation is enabled'),
    auto('3.3', LOG, 'Ensure AWS Config is enabled in all regions'),
    auto('3.4', LOG, 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket'),
    auto('3.5', LOG, 'Ensure CloudTrail logs are encrypted at rest using KMS CMKs'),
    auto('3.6', LOG, 'Ensure rotation for customer-created symmetric CMKs is enabled'),
    auto('3.7', LOG, 'Ensure VPC flow logging is enabled in all VPCs'),
    auto('3.8', LOG, 'Ensure object-level logging for write events is enabled for S3 buckets'),
    auto('3.9', LOG, 'Ensure object-level logging for read events is enabled for S3 buckets'),
    monitoring('4.1', 'unauthorized API calls'),
    monitoring('4.2', 'Management Console sign-in without MFA'),
    monitoring('4.3', "usage of the 'root' account"),
    monitoring('4.4', 'IAM policy changes'),
    monitoring('4.5', 'CloudTrail configuration changes'),
    monitoring('4.6', 'AWS Management Console authentication failures'),
    monitoring('4.7', 'disabling or scheduled deletion of customer-created CMKs'),
    monitoring('4.8', 'S3 bucket policy changes'),
    monitoring('4.9', 'AWS Config configuration changes'),
    monitoring('4.10', 'security group changes'),
    monitoring('4.11', 'changes to Network Access Control Lists (NACL)'),
    monitoring('4.12', 'changes to network gateways'),
    monitoring('4.13', 'route table changes'),
    monitoring('4.14', 'VPC changes'),
    monitoring('4.15', 'AWS Organizations changes'),
    auto('4.16', MON, 'Ensure AWS Security Hub is enabled'),
    auto('5.1', NET, 'Ensure no network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports'),
    auto('5.2', NET, 'Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports'),
    auto('5.3', NET, 'Ensure no security groups allow ingress from ::/0 to remote server administration ports'),
    auto('5.4', NET, 'Ensure the default security group of every VPC restricts all traffic'),
    manual('5.5', NET, 'Ensure routing tables for VPC peering are "least access"', 'which peered subnets or hosts must be reachable is a design decision; routes alone cannot show "least access"'),
    auto('5.6', NET, 'Ensure that EC2 Metadata Service only allows IMDSv2'),
  ],
};
