/**
 * AWS Foundational Security Best Practices v1.0.0, services FSx to WorkSpaces: every control
 * Security Hub applies to the standard, under its control IDs and titles (fsbp.ts assembles the
 * standard). A control without a built-in policy says why (`notAutomatable`), or has no reason
 * when its answer is in the modeled configuration and only the policy is missing.
 */
import type { Control } from './framework.ts';
import { control as c, joins, notCollected, notModeled } from './fsbp-reasons.ts';

const FSX = notModeled('AWS.FSx.FileSystem');
const MACIE = notCollected('the account-region Amazon Macie status and automated discovery configuration (macie2:GetMacieSession, macie2:GetAutomatedDiscoveryConfiguration)');
const MSK_CONNECTOR = notModeled('AWS.KafkaConnect.Connector');
const NETWORK_FIREWALL = notModeled('AWS.NetworkFirewall.Firewall');
const FIREWALL_POLICY = notModeled('AWS.NetworkFirewall.FirewallPolicy');
const RDS_EVENTS = notModeled('AWS.RDS.EventSubscription');
const DB_PARAMETERS = notCollected("the DB parameter group's parameters (rds:DescribeDBParameters); AWS.RDS.Instance names its parameter groups only");
const RS_WORKGROUP = notModeled('AWS.RedshiftServerless.Workgroup');
const RS_NAMESPACE = notModeled('AWS.RedshiftServerless.Namespace');
const SM_DATA_QUALITY = notModeled('AWS.SageMaker.DataQualityJobDefinition');
const SM_MODEL_BIAS = notModeled('AWS.SageMaker.ModelBiasJobDefinition');
const SM_EXPLAINABILITY = notModeled('AWS.SageMaker.ModelExplainabilityJobDefinition');
const SM_MODEL_QUALITY = notModeled('AWS.SageMaker.ModelQualityJobDefinition');
const SM_MONITORING = notModeled('AWS.SageMaker.MonitoringSchedule');
const SM_MODEL = notModeled('AWS.SageMaker.Model');
const SM_INFERENCE_EXPERIMENT = notModeled('AWS.SageMaker.InferenceExperiment');
const SSM_INSTANCES = notCollected('the Systems Manager managed-instance inventory (ssm:DescribeInstanceInformation)');
const SSM_SETTING = notCollected('the account-region Systems Manager service settings (ssm:GetServiceSetting)');
const wafClassic = (type: string): string => notModeled(type, 'WAF Classic, retired by AWS on 2025-09-30; Posture scans WAFv2');
const WORKSPACE = notModeled('AWS.WorkSpaces.Workspace');

export const FSBP_CONTROLS_F_Z: readonly Control[] = [
  c('FSx.1', 'FSx for OpenZFS file systems should be configured to copy tags to backups and volumes', FSX),
  c('FSx.2', 'FSx for Lustre file systems should be configured to copy tags to backups', FSX),
  c('FSx.3', 'FSx for OpenZFS file systems should be configured for Multi-AZ deployment', FSX),
  c('FSx.4', 'FSx for NetApp ONTAP file systems should be configured for Multi-AZ deployment', FSX),
  c('FSx.5', 'FSx for Windows File Server file systems should be configured for Multi-AZ deployment', FSX),

  c('Glue.3', 'AWS Glue machine learning transforms should be encrypted at rest', notModeled('AWS.Glue.MLTransform')),
  c('Glue.4', 'AWS Glue Spark jobs should run on supported versions of AWS Glue'),

  c('GuardDuty.1', 'GuardDuty should be enabled'),
  c('GuardDuty.5', 'GuardDuty EKS Audit Log Monitoring should be enabled'),
  c('GuardDuty.6', 'GuardDuty Lambda Protection should be enabled'),
  c('GuardDuty.7', 'GuardDuty EKS Runtime Monitoring should be enabled'),
  c('GuardDuty.8', 'GuardDuty Malware Protection for EC2 should be enabled'),
  c('GuardDuty.9', 'GuardDuty RDS Protection should be enabled'),
  c('GuardDuty.10', 'GuardDuty S3 Protection should be enabled'),
  c('GuardDuty.11', 'GuardDuty Runtime Monitoring should be enabled'),
  c('GuardDuty.12', 'GuardDuty ECS Runtime Monitoring should be enabled'),
  c('GuardDuty.13', 'GuardDuty EC2 Runtime Monitoring should be enabled'),

  c('IAM.1', 'IAM policies should not allow full "*" administrative privileges'),
  c('IAM.2', 'IAM users should not have IAM policies attached'),
  c('IAM.3', "IAM users' access keys should be rotated every 90 days or less"),
  c('IAM.4', 'IAM root user access key should not exist'),
  c('IAM.5', 'MFA should be enabled for all IAM users that have a console password'),
  c('IAM.6', 'Hardware MFA should be enabled for the root user'),
  c('IAM.7', 'Password policies for IAM users should have strong configurations'),
  c('IAM.8', 'Unused IAM user credentials should be removed'),
  c('IAM.21', 'IAM customer managed policies that you create should not allow wildcard actions for services'),
  c('IAM.22', 'IAM user credentials unused for 45 days should be removed'),

  c('Inspector.1', 'Amazon Inspector EC2 scanning should be enabled'),
  c('Inspector.2', 'Amazon Inspector ECR scanning should be enabled'),
  c('Inspector.3', 'Amazon Inspector Lambda code scanning should be enabled'),
  c('Inspector.4', 'Amazon Inspector Lambda standard scanning should be enabled'),

  c('Kinesis.1', 'Kinesis streams should be encrypted at rest'),
  c('Kinesis.3', 'Kinesis streams should have an adequate data retention period'),

  c('KMS.1', 'IAM customer managed policies should not allow decryption actions on all KMS keys'),
  c('KMS.2', 'IAM principals should not have IAM inline policies that allow decryption actions on all KMS keys'),
  c('KMS.3', 'AWS KMS keys should not be deleted unintentionally'),
  c('KMS.5', 'KMS keys should not be publicly accessible'),

  c('Lambda.1', 'Lambda function policies should prohibit public access'),
  c('Lambda.2', 'Lambda functions should use supported runtimes'),
  c('Lambda.5', 'VPC Lambda functions should operate in multiple Availability Zones', notCollected('the Availability Zone of each VPC subnet (AWS.EC2.Subnet is not a modeled type)')),

  c('Macie.1', 'Amazon Macie should be enabled', MACIE),
  c('Macie.2', 'Macie automated sensitive data discovery should be enabled', MACIE),

  c('MQ.2', 'ActiveMQ brokers should stream audit logs to CloudWatch'),
  c('MQ.3', 'Amazon MQ brokers should have automatic minor version upgrade enabled'),
  c('MQ.5', 'ActiveMQ brokers should use active/standby deployment mode'),
  c('MQ.6', 'RabbitMQ brokers should use cluster deployment mode'),

  c('MSK.1', 'MSK clusters should be encrypted in transit among broker nodes'),
  c('MSK.2', 'MSK clusters should have enhanced monitoring configured'),
  c('MSK.3', 'MSK Connect connectors should be encrypted in transit', MSK_CONNECTOR),
  c('MSK.4', 'MSK clusters should have public access disabled'),
  c('MSK.5', 'MSK connectors should have logging enabled', MSK_CONNECTOR),
  c('MSK.6', 'MSK clusters should disable unauthenticated access'),

  c('Neptune.1', 'Neptune DB clusters should be encrypted at rest'),
  c('Neptune.2', 'Neptune DB clusters should publish audit logs to CloudWatch Logs'),
  c('Neptune.3', 'Neptune DB cluster snapshots should not be public'),
  c('Neptune.4', 'Neptune DB clusters should have deletion protection enabled'),
  c('Neptune.5', 'Neptune DB clusters should have automated backups enabled'),
  c('Neptune.6', 'Neptune DB cluster snapshots should be encrypted at rest'),
  c('Neptune.7', 'Neptune DB clusters should have IAM database authentication enabled'),
  c('Neptune.8', 'Neptune DB clusters should be configured to copy tags to snapshots'),
  c('Neptune.9', 'Neptune DB clusters should be deployed across multiple Availability Zones'),

  c('NetworkFirewall.2', 'Network Firewall logging should be enabled', NETWORK_FIREWALL),
  c('NetworkFirewall.3', 'Network Firewall policies should have at least one rule group associated', FIREWALL_POLICY),
  c('NetworkFirewall.4', 'The default stateless action for Network Firewall policies should be drop or forward for full packets', FIREWALL_POLICY),
  c('NetworkFirewall.5', 'The default stateless action for Network Firewall policies should be drop or forward for fragmented packets', FIREWALL_POLICY),
  c('NetworkFirewall.6', 'Stateless Network Firewall rule group should not be empty', notModeled('AWS.NetworkFirewall.RuleGroup')),
  c('NetworkFirewall.9', 'Network Firewall firewalls should have deletion protection enabled', NETWORK_FIREWALL),
  c('NetworkFirewall.10', 'Network Firewall firewalls should have subnet change protection enabled', NETWORK_FIREWALL),

  c('Opensearch.1', 'OpenSearch domains should have encryption at rest enabled'),
  c('Opensearch.2', 'OpenSearch domains should not be publicly accessible'),
  c('Opensearch.3', 'OpenSearch domains should encrypt data sent between nodes'),
  c('Opensearch.4', 'OpenSearch domain error logging to CloudWatch Logs should be enabled'),
  c('Opensearch.5', 'OpenSearch domains should have audit logging enabled'),
  c('Opensearch.6', 'OpenSearch domains should have at least three data nodes'),
  c('Opensearch.7', 'OpenSearch domains should have fine-grained access control enabled'),
  c('Opensearch.8', 'Connections to OpenSearch domains should be encrypted using the latest TLS security policy'),
  c('Opensearch.10', 'OpenSearch domains should have the latest software update installed'),
  c('Opensearch.11', 'OpenSearch domains should have at least three dedicated primary nodes'),

  c('PCA.1', 'AWS Private CA root certificate authority should be disabled', notModeled('AWS.ACMPCA.CertificateAuthority')),

  c('RDS.1', 'RDS snapshot should be private'),
  c('RDS.2', 'RDS DB instances should prohibit public access, as determined by the PubliclyAccessible configuration'),
  c('RDS.3', 'RDS DB instances should have encryption at-rest enabled'),
  c('RDS.4', 'RDS cluster snapshots and database snapshots should be encrypted at rest'),
  c('RDS.5', 'RDS DB instances should be configured with multiple Availability Zones'),
  c('RDS.6', 'Enhanced monitoring should be configured for RDS DB instances'),
  c('RDS.7', 'RDS clusters should have deletion protection enabled'),
  c('RDS.8', 'RDS DB instances should have deletion protection enabled'),
  c('RDS.9', 'RDS DB instances should publish logs to CloudWatch Logs'),
  c('RDS.10', 'IAM authentication should be configured for RDS instances'),
  c('RDS.11', 'RDS instances should have automatic backups enabled'),
  c('RDS.12', 'IAM authentication should be configured for RDS clusters'),
  c('RDS.13', 'RDS automatic minor version upgrades should be enabled'),
  c('RDS.14', 'Amazon Aurora clusters should have backtracking enabled'),
  c('RDS.15', 'RDS DB clusters should be configured for multiple Availability Zones'),
  c('RDS.16', 'RDS DB clusters should be configured to copy tags to snapshots'),
  c('RDS.17', 'RDS DB instances should be configured to copy tags to snapshots'),
  c('RDS.18', 'RDS instances should be deployed in a VPC'),
  c('RDS.19', 'Existing RDS event notification subscriptions should be configured for critical cluster events', RDS_EVENTS),
  c('RDS.20', 'Existing RDS event notification subscriptions should be configured for critical database instance events', RDS_EVENTS),
  c('RDS.21', 'An RDS event notifications subscription should be configured for critical database parameter group events', RDS_EVENTS),
  c('RDS.22', 'An RDS event notifications subscription should be configured for critical database security group events', RDS_EVENTS),
  c('RDS.23', 'RDS instances should not use a database engine default port'),
  c('RDS.24', 'RDS Database clusters should use a custom administrator username'),
  c('RDS.25', 'RDS database instances should use a custom administrator username'),
  c('RDS.27', 'RDS DB clusters should be encrypted at rest'),
  c('RDS.34', 'Aurora MySQL DB clusters should publish audit logs to CloudWatch Logs'),
  c('RDS.35', 'RDS DB clusters should have automatic minor version upgrade enabled'),
  c('RDS.36', 'RDS for PostgreSQL DB instances should publish logs to CloudWatch Logs'),
  c('RDS.37', 'Aurora PostgreSQL DB clusters should publish logs to CloudWatch Logs'),
  c('RDS.40', 'RDS for SQL Server DB instances should publish logs to CloudWatch Logs'),
  c('RDS.41', 'RDS for SQL Server DB instances should be encrypted in transit', DB_PARAMETERS),
  c('RDS.42', 'RDS for MariaDB DB instances should publish logs to CloudWatch Logs'),
  c('RDS.44', 'RDS for MariaDB DB instances should be encrypted in transit', DB_PARAMETERS),
  c('RDS.45', 'Aurora MySQL DB clusters should have audit logging enabled', notCollected("the cluster parameter group's server_audit_logging parameter (rds:DescribeDBClusterParameters)")),
  c('RDS.46', 'RDS DB instances should not be deployed in public subnets with routes to internet gateways', joins("the instance's DB subnet group with its VPC's route tables (AWS.EC2.VPC)")),
  c('RDS.47', 'RDS for PostgreSQL DB clusters should be configured to copy tags to DB snapshots'),
  c('RDS.48', 'RDS for MySQL DB clusters should be configured to copy tags to DB snapshots'),
  c('RDS.50', 'RDS DB clusters should have enough backup retention period set'),
  c('RDS.51', 'RDS global clusters should run on a supported Aurora MySQL version', notModeled('AWS.RDS.GlobalCluster')),

  c('Redshift.1', 'Amazon Redshift clusters should prohibit public access'),
  c('Redshift.2', 'Connections to Amazon Redshift clusters should be encrypted in transit', notCollected("the cluster parameter group's require_ssl parameter (redshift:DescribeClusterParameters)")),
  c('Redshift.3', 'Amazon Redshift clusters should have automatic snapshots enabled'),
  c('Redshift.4', 'Amazon Redshift clusters should have audit logging enabled'),
  c('Redshift.6', 'Amazon Redshift should have automatic upgrades to major versions enabled'),
  c('Redshift.7', 'Redshift clusters should use enhanced VPC routing'),
  c('Redshift.8', 'Amazon Redshift clusters should not use the default Admin username'),
  c('Redshift.9', 'Redshift clusters should not use the default database name'),
  c('Redshift.10', 'Redshift clusters should be encrypted at rest'),
  c('Redshift.15', 'Redshift security groups should allow ingress on the cluster port only from restricted origins', joins("the cluster's VPC security groups' ingress rules with its port")),
  c('Redshift.18', 'Redshift clusters should have Multi-AZ deployments enabled'),

  c('RedshiftServerless.1', 'Amazon Redshift Serverless workgroups should use enhanced VPC routing', RS_WORKGROUP),
  c('RedshiftServerless.2', 'Connections to Redshift Serverless workgroups should be required to use SSL', RS_WORKGROUP),
  c('RedshiftServerless.3', 'Redshift Serverless workgroups should prohibit public access', RS_WORKGROUP),
  c('RedshiftServerless.5', 'Redshift Serverless namespaces should not use the default admin username', RS_NAMESPACE),
  c('RedshiftServerless.6', 'Redshift Serverless namespaces should export logs to CloudWatch Logs', RS_NAMESPACE),
  c('RedshiftServerless.7', 'Redshift Serverless namespaces should not use the default database name', RS_NAMESPACE),

  c('Route53.2', 'Route 53 public hosted zones should log DNS queries'),

  c('S3.1', 'S3 general purpose buckets should have block public access settings enabled', notCollected('the account-level S3 Block Public Access settings (s3:GetAccountPublicAccessBlock)')),
  c('S3.2', 'S3 general purpose buckets should block public read access'),
  c('S3.3', 'S3 general purpose buckets should block public write access'),
  c('S3.5', 'S3 general purpose buckets should require requests to use SSL'),
  c('S3.6', 'S3 general purpose bucket policies should restrict access to other AWS accounts'),
  c('S3.8', 'S3 general purpose buckets should block public access'),
  c('S3.9', 'S3 general purpose buckets should have server access logging enabled'),
  c('S3.10', 'S3 general purpose buckets with versioning enabled should have Lifecycle configurations'),
  c('S3.12', 'ACLs should not be used to manage user access to S3 general purpose buckets'),
  c('S3.13', 'S3 general purpose buckets should have Lifecycle configurations'),
  c('S3.19', 'S3 access points should have block public access settings enabled', notModeled('AWS.S3.AccessPoint')),
  c('S3.24', 'S3 Multi-Region Access Points should have block public access settings enabled', notModeled('AWS.S3.MultiRegionAccessPoint')),
  c('S3.25', 'S3 directory buckets should have lifecycle configurations', notModeled('AWS.S3Express.DirectoryBucket')),

  c('SageMaker.1', 'Amazon SageMaker notebook instances should not have direct internet access'),
  c('SageMaker.2', 'SageMaker notebook instances should be launched in a custom VPC'),
  c('SageMaker.3', 'Users should not have root access to SageMaker notebook instances'),
  c('SageMaker.4', 'SageMaker endpoint production variants should have an initial instance count greater than 1', notModeled('AWS.SageMaker.EndpointConfig')),
  c('SageMaker.5', 'SageMaker models should have network isolation enabled', SM_MODEL),
  c('SageMaker.8', 'SageMaker notebook instances should run on supported platforms'),
  c('SageMaker.9', 'SageMaker data quality job definitions should have inter-container traffic encryption enabled', SM_DATA_QUALITY),
  c('SageMaker.10', 'SageMaker model explainability job definitions should have inter-container traffic encryption enabled', SM_EXPLAINABILITY),
  c('SageMaker.11', 'SageMaker data quality job definitions should have network isolation enabled', SM_DATA_QUALITY),
  c('SageMaker.12', 'SageMaker model bias job definitions should have network isolation enabled', SM_MODEL_BIAS),
  c('SageMaker.13', 'SageMaker model quality job definitions should have inter-container traffic encryption enabled', SM_MODEL_QUALITY),
  c('SageMaker.14', 'SageMaker monitoring schedules should have network isolation enabled', SM_MONITORING),
  c('SageMaker.15', 'SageMaker model bias job definitions should have inter-container traffic encryption enabled', SM_MODEL_BIAS),
  c('SageMaker.16', 'SageMaker models should use private registry in VPC for primary containers', SM_MODEL),
  c('SageMaker.17', 'SageMaker feature group offline stores should be encrypted with AWS KMS keys', notModeled('AWS.SageMaker.FeatureGroup')),
  c('SageMaker.19', 'SageMaker models should use private registry in VPC for multi-container inference pipelines', SM_MODEL),
  c('SageMaker.20', 'SageMaker model explainability job definitions should have network isolation enabled', SM_EXPLAINABILITY),
  c('SageMaker.21', 'SageMaker notebook instances should be encrypted with customer managed AWS KMS keys'),
  c('SageMaker.22', 'SageMaker monitoring schedules should have inter-container traffic encryption enabled', SM_MONITORING),
  c('SageMaker.23', 'SageMaker inference experiments should have instance storage volume encrypted with customer managed AWS KMS keys', SM_INFERENCE_EXPERIMENT),
  c('SageMaker.24', 'SageMaker inference experiments should have data storage encrypted with customer managed AWS KMS keys', SM_INFERENCE_EXPERIMENT),
  c('SageMaker.25', 'SageMaker model quality job definitions should have network isolation enabled', SM_MODEL_QUALITY),

  c('SecretsManager.1', 'Secrets Manager secrets should have automatic rotation enabled'),
  c('SecretsManager.2', 'Secrets Manager secrets configured with automatic rotation should rotate successfully'),
  c('SecretsManager.3', 'Remove unused Secrets Manager secrets'),
  c('SecretsManager.4', 'Secrets Manager secrets should be rotated within a specified number of days'),

  c('ServiceCatalog.1', 'Service Catalog portfolios should be shared within an AWS organization only', notModeled('AWS.ServiceCatalog.Portfolio')),

  c('SNS.1', 'SNS topics should be encrypted at-rest using AWS KMS'),
  c('SNS.4', 'SNS topic access policies should not allow public access'),

  c('SQS.1', 'Amazon SQS queues should be encrypted at rest'),
  c('SQS.3', 'SQS queue access policies should not allow public access'),

  c('SSM.1', 'Amazon EC2 instances should be managed by AWS Systems Manager', SSM_INSTANCES),
  c('SSM.2', 'Amazon EC2 instances managed by Systems Manager should have a patch compliance status of COMPLIANT after a patch installation', notCollected('Systems Manager patch compliance (ssm:ListComplianceItems)')),
  c('SSM.3', 'Amazon EC2 instances managed by Systems Manager should have an association compliance status of COMPLIANT', notCollected('Systems Manager association compliance (ssm:ListComplianceItems)')),
  c('SSM.4', 'SSM documents should not be public'),
  c('SSM.6', 'SSM Automation should have CloudWatch logging enabled', SSM_SETTING),
  c('SSM.7', 'SSM documents should have the block public sharing setting enabled', SSM_SETTING),

  c('StepFunctions.1', 'Step Functions state machines should have logging turned on'),

  c('Transfer.2', 'Transfer Family servers should not use FTP protocol for endpoint connection'),
  c('Transfer.3', 'Transfer Family connectors should have logging enabled', notModeled('AWS.Transfer.Connector')),

  c('WAF.1', 'AWS WAF Classic Global Web ACL logging should be enabled', wafClassic('AWS.WAF.WebACL')),
  c('WAF.2', 'AWS WAF Classic Regional rules should have at least one condition', wafClassic('AWS.WAF.Regional.Rule')),
  c('WAF.3', 'AWS WAF Classic Regional rule groups should have at least one rule', wafClassic('AWS.WAF.Regional.RuleGroup')),
  c('WAF.4', 'AWS WAF Classic Regional web ACLs should have at least one rule or rule group', wafClassic('AWS.WAF.Regional.WebACL')),
  c('WAF.6', 'AWS WAF Classic global rules should have at least one condition', wafClassic('AWS.WAF.Rule')),
  c('WAF.7', 'AWS WAF Classic global rule groups should have at least one rule', wafClassic('AWS.WAF.RuleGroup')),
  c('WAF.8', 'AWS WAF Classic global web ACLs should have at least one rule or rule group', wafClassic('AWS.WAF.WebACL')),
  c('WAF.10', 'AWS WAF web ACLs should have at least one rule or rule group'),
  c('WAF.11', 'AWS WAF web ACL logging should be enabled'),
  c('WAF.12', 'AWS WAF rules should have CloudWatch metrics enabled'),

  c('WorkSpaces.1', 'WorkSpaces user volumes should be encrypted at rest', WORKSPACE),
  c('WorkSpaces.2', 'WorkSpaces root volumes should be encrypted at rest', WORKSPACE),
];
