/**
 * AWS Foundational Security Best Practices v1.0.0, services Account to EventBridge: every control
 * Security Hub applies to the standard, under its control IDs and titles (fsbp.ts assembles the
 * standard). A control without a built-in policy says why (`notAutomatable`), or has no reason
 * when its answer is in the modeled configuration and only the policy is missing.
 */
import type { Control } from './framework.ts';
import { control as c, joins, notCollected, notModeled } from './fsbp-reasons.ts';

const ALTERNATE_CONTACTS = notCollected("the account's security alternate contact (account:GetAlternateContact)");
const APPSYNC = notModeled('AWS.AppSync.GraphQLApi');
const APPSYNC_CACHE = notModeled('AWS.AppSync.ApiCache');
const DMS_INSTANCE = notModeled('AWS.DMS.ReplicationInstance');
const DMS_TASK = notModeled('AWS.DMS.ReplicationTask');
const DMS_ENDPOINT = notModeled('AWS.DMS.Endpoint');
const DAX = notModeled('AWS.DAX.Cluster');
const VPC_ENDPOINTS = notCollected("the VPC's endpoints (ec2:DescribeVpcEndpoints); AWS.EC2.VPC does not list them");
const SUBNET = notModeled('AWS.EC2.Subnet', 'its MapPublicIpOnLaunch');
const VPN_CONNECTION = notModeled('AWS.EC2.VPNConnection');
const ECS_TASK_DEFINITION = notModeled('AWS.ECS.TaskDefinition');
const BACKUP_SELECTIONS = notCollected("the AWS Backup plans' resource selections (backup:ListBackupSelections); AWS.Backup.Plan holds the rules only");
const BEANSTALK = notModeled('AWS.ElasticBeanstalk.Environment');
const ALB_ATTRIBUTES = notCollected("the Application Load Balancer's attributes (elasticloadbalancing:DescribeLoadBalancerAttributes); AWS.ELBV2.ApplicationLoadBalancer does not collect them");

export const FSBP_CONTROLS_A_E: readonly Control[] = [
  c('Account.1', 'Security contact information should be provided for an AWS account', ALTERNATE_CONTACTS),

  c('ACM.1', 'Imported and ACM-issued certificates should be renewed after a specified time period'),
  c('ACM.2', 'RSA certificates managed by ACM should use a key length of at least 2,048 bits'),

  c('APIGateway.1', 'API Gateway REST and WebSocket API execution logging should be enabled'),
  c('APIGateway.2', 'API Gateway REST API stages should be configured to use SSL certificates for backend authentication'),
  c('APIGateway.3', 'API Gateway REST API stages should have AWS X-Ray tracing enabled'),
  c('APIGateway.4', 'API Gateway should be associated with a WAF Web ACL'),
  c('APIGateway.5', 'API Gateway REST API cache data should be encrypted at rest'),
  c('APIGateway.8', 'API Gateway routes should specify an authorization type'),
  c('APIGateway.9', 'Access logging should be configured for API Gateway V2 Stages'),
  c('APIGateway.10', 'API Gateway V2 integrations should use HTTPS for private connections', notCollected("the HTTP API's integrations (apigateway:GET /apis/{id}/integrations); AWS.ApiGatewayV2.Api collects stages and routes only")),
  c('APIGateway.11', 'API Gateway domain names should use recommended security policies', notModeled('AWS.ApiGateway.DomainName')),

  c('AppSync.1', 'AWS AppSync API caches should be encrypted at rest', APPSYNC_CACHE),
  c('AppSync.2', 'AWS AppSync should have field-level logging enabled', APPSYNC),
  c('AppSync.5', 'AWS AppSync GraphQL APIs should not be authenticated with API keys', APPSYNC),
  c('AppSync.6', 'AWS AppSync API caches should be encrypted in transit', APPSYNC_CACHE),

  c('Athena.4', 'Athena workgroups should have logging enabled'),

  c('AutoScaling.1', 'Auto Scaling groups associated with a load balancer should use ELB health checks'),
  c('AutoScaling.2', 'Amazon EC2 Auto Scaling group should cover multiple Availability Zones'),
  c('AutoScaling.3', 'Auto Scaling group launch configurations should configure EC2 instances to require Instance Metadata Service Version 2 (IMDSv2)'),
  c('AutoScaling.5', 'Amazon EC2 instances launched using Auto Scaling group launch configurations should not have Public IP addresses'),
  c('AutoScaling.6', 'Auto Scaling groups should use multiple instance types in multiple Availability Zones'),
  c('AutoScaling.9', 'Amazon EC2 Auto Scaling groups should use Amazon EC2 launch templates'),

  c('Backup.1', 'AWS Backup recovery points should be encrypted at rest', notModeled('AWS.Backup.RecoveryPoint')),

  c('Bedrock.1', 'Amazon Bedrock data sources should be encrypted with customer managed AWS KMS keys', notModeled('AWS.Bedrock.DataSource')),

  c('CloudFormation.3', 'CloudFormation stacks should have termination protection enabled'),
  c('CloudFormation.4', 'CloudFormation stacks should have associated service roles'),

  c('CloudFront.1', 'CloudFront distributions should have a default root object configured'),
  c('CloudFront.3', 'CloudFront distributions should require encryption in transit'),
  c('CloudFront.4', 'CloudFront distributions should have origin failover configured'),
  c('CloudFront.5', 'CloudFront distributions should have logging enabled'),
  c('CloudFront.6', 'CloudFront distributions should have WAF enabled'),
  c('CloudFront.7', 'CloudFront distributions should use custom SSL/TLS certificates'),
  c('CloudFront.8', 'CloudFront distributions should use SNI to serve HTTPS requests'),
  c('CloudFront.9', 'CloudFront distributions should encrypt traffic to custom origins'),
  c('CloudFront.10', 'CloudFront distributions should not use deprecated SSL protocols between edge locations and custom origins'),
  c('CloudFront.12', 'CloudFront distributions should not point to non-existent S3 origins', joins("the S3 origin bucket's existence beside the distribution")),
  c('CloudFront.13', 'CloudFront distributions should use origin access control'),
  c('CloudFront.15', 'CloudFront distributions should use the recommended TLS security policy'),
  c('CloudFront.16', 'CloudFront distributions should use origin access control for Lambda function URL origins'),

  c('CloudTrail.1', 'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events'),
  c('CloudTrail.2', 'CloudTrail should have encryption at-rest enabled'),
  c('CloudTrail.4', 'CloudTrail log file validation should be enabled'),
  c('CloudTrail.5', 'CloudTrail trails should be integrated with Amazon CloudWatch Logs'),


  c('CodeBuild.1', 'CodeBuild Bitbucket source repository URLs should not contain sensitive credentials'),
  c('CodeBuild.2', 'CodeBuild project environment variables should not contain clear text credentials'),
  c('CodeBuild.3', 'CodeBuild S3 logs should be encrypted'),
  c('CodeBuild.4', 'CodeBuild project environments should have a logging AWS Configuration'),
  c('CodeBuild.5', 'CodeBuild project environments should not have privileged mode enabled'),
  c('CodeBuild.7', 'CodeBuild report group exports should be encrypted at rest', notModeled('AWS.CodeBuild.ReportGroup')),

  c('Cognito.1', 'Cognito user pools should have threat protection activated with full function enforcement mode for standard authentication'),
  c('Cognito.2', 'Cognito identity pools should not allow unauthenticated identities', notModeled('AWS.Cognito.IdentityPool')),
  c('Cognito.3', 'Password policies for Cognito user pools should have strong configurations'),
  c('Cognito.4', 'Cognito user pools should have threat protection activated with full function enforcement mode for custom authentication'),
  c('Cognito.5', 'MFA should be enabled for Cognito user pools'),
  c('Cognito.6', 'Cognito user pools should have deletion protection enabled'),

  c('Config.1', 'AWS Config should be enabled and use the service-linked role for resource recording'),

  c('Connect.2', 'Amazon Connect instances should have CloudWatch logging enabled', notModeled('AWS.Connect.Instance')),

  c('DataFirehose.1', 'Firehose delivery streams should be encrypted at rest'),

  c('DataSync.1', 'DataSync tasks should have logging enabled', notModeled('AWS.DataSync.Task')),

  c('DMS.1', 'Database Migration Service replication instances should not be public', DMS_INSTANCE),
  c('DMS.6', 'DMS replication instances should have automatic minor version upgrade enabled', DMS_INSTANCE),
  c('DMS.7', 'DMS replication tasks for the target database should have logging enabled', DMS_TASK),
  c('DMS.8', 'DMS replication tasks for the source database should have logging enabled', DMS_TASK),
  c('DMS.9', 'DMS endpoints should use SSL', DMS_ENDPOINT),
  c('DMS.10', 'DMS endpoints for Neptune databases should have IAM authorization enabled', DMS_ENDPOINT),
  c('DMS.11', 'DMS endpoints for MongoDB should have an authentication mechanism enabled', DMS_ENDPOINT),
  c('DMS.12', 'DMS endpoints for Redis OSS should have TLS enabled', DMS_ENDPOINT),
  c('DMS.13', 'DMS replication instances should be configured to use multiple Availability Zones', DMS_INSTANCE),

  c('DocumentDB.1', 'Amazon DocumentDB clusters should be encrypted at rest'),
  c('DocumentDB.2', 'Amazon DocumentDB clusters should have an adequate backup retention period'),
  c('DocumentDB.3', 'Amazon DocumentDB manual cluster snapshots should not be public'),
  c('DocumentDB.4', 'Amazon DocumentDB clusters should publish audit logs to CloudWatch Logs'),
  c('DocumentDB.5', 'Amazon DocumentDB clusters should have deletion protection enabled'),
  c('DocumentDB.6', 'Amazon DocumentDB clusters should be encrypted in transit', notCollected("the cluster parameter group's tls parameter (rds:DescribeDBClusterParameters)")),

  c('DynamoDB.1', 'DynamoDB tables should automatically scale capacity with demand'),
  c('DynamoDB.2', 'DynamoDB tables should have point-in-time recovery enabled'),
  c('DynamoDB.3', 'DynamoDB Accelerator (DAX) clusters should be encrypted at rest', DAX),
  c('DynamoDB.6', 'DynamoDB tables should have deletion protection enabled'),
  c('DynamoDB.7', 'DynamoDB Accelerator clusters should be encrypted in transit', DAX),

  c('EC2.1', 'Amazon EBS snapshots should not be publicly restorable'),
  c('EC2.2', 'VPC default security groups should not allow inbound or outbound traffic'),
  c('EC2.3', 'Attached Amazon EBS volumes should be encrypted at-rest'),
  c('EC2.4', 'Stopped EC2 instances should be removed after a specified time period'),
  c('EC2.6', 'VPC flow logging should be enabled in all VPCs'),
  c('EC2.7', 'EBS default encryption should be enabled', notCollected('the account-region setting EBS encryption by default (ec2:GetEbsEncryptionByDefault)')),
  c('EC2.8', 'EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)'),
  c('EC2.9', 'Amazon EC2 instances should not have a public IPv4 address'),
  c('EC2.10', 'Amazon EC2 should be configured to use VPC endpoints that are created for the Amazon EC2 service', VPC_ENDPOINTS),
  c('EC2.15', 'Amazon EC2 subnets should not automatically assign public IP addresses', SUBNET),
  c('EC2.16', 'Unused Network Access Control Lists should be removed'),
  c('EC2.17', 'Amazon EC2 instances should not use multiple ENIs'),
  c('EC2.18', 'Security groups should only allow unrestricted incoming traffic for authorized ports'),
  c('EC2.19', 'Security groups should not allow unrestricted access to ports with high risk'),
  c('EC2.20', 'Both VPN tunnels for an AWS Site-to-Site VPN connection should be up', VPN_CONNECTION),
  c('EC2.21', 'Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389'),
  c('EC2.22', 'Unused Amazon EC2 security groups should be removed', notModeled('AWS.EC2.NetworkInterface', 'which interfaces use the security group')),
  c('EC2.23', 'Amazon EC2 Transit Gateways should not automatically accept VPC attachment requests', notModeled('AWS.EC2.TransitGateway')),
  c('EC2.24', 'Amazon EC2 paravirtual instance types should not be used'),
  c('EC2.25', 'Amazon EC2 launch templates should not assign public IPs to network interfaces'),
  c('EC2.51', 'EC2 Client VPN endpoints should have client connection logging enabled', notModeled('AWS.EC2.ClientVpnEndpoint')),
  c('EC2.55', 'VPCs should be configured with an interface endpoint for ECR API', VPC_ENDPOINTS),
  c('EC2.56', 'VPCs should be configured with an interface endpoint for Docker Registry', VPC_ENDPOINTS),
  c('EC2.57', 'VPCs should be configured with an interface endpoint for Systems Manager', VPC_ENDPOINTS),
  c('EC2.58', 'VPCs should be configured with an interface endpoint for Systems Manager Incident Manager Contacts', VPC_ENDPOINTS),
  c('EC2.60', 'VPCs should be configured with an interface endpoint for Systems Manager Incident Manager', VPC_ENDPOINTS),
  c('EC2.170', 'EC2 launch templates should use Instance Metadata Service Version 2 (IMDSv2)'),
  c('EC2.171', 'EC2 VPN connections should have logging enabled', VPN_CONNECTION),
  c('EC2.172', 'EC2 VPC Block Public Access settings should block internet gateway traffic', notCollected("the account-region VPC Block Public Access options (ec2:DescribeVpcBlockPublicAccessOptions); a VPC's BlockPublicAccessStates shows only its effective mode, not the setting and its exclusions")),
  c('EC2.173', 'EC2 Spot Fleet requests with launch parameters should enable encryption for attached EBS volumes', notModeled('AWS.EC2.SpotFleetRequest')),
  c('EC2.180', 'EC2 network interfaces should have source/destination checking enabled', notModeled('AWS.EC2.NetworkInterface', 'the interfaces attached to instances are only part of them')),
  c('EC2.181', 'EC2 launch templates should enable encryption for attached EBS volumes'),
  c('EC2.182', 'Block public access settings should be enabled for Amazon EBS snapshots', notCollected('the account-region setting block public access for EBS snapshots (ec2:GetSnapshotBlockPublicAccessState)')),
  c('EC2.183', 'EC2 VPN connections should use IKEv2 protocol', VPN_CONNECTION),

  c('ECR.1', 'ECR private repositories should have image scanning configured'),
  c('ECR.2', 'ECR private repositories should have tag immutability configured'),
  c('ECR.3', 'ECR repositories should have at least one lifecycle policy configured'),

  c('ECS.2', 'ECS services should not have public IP addresses assigned to them automatically'),
  c('ECS.3', "ECS task definitions should not share the host's process namespace", ECS_TASK_DEFINITION),
  c('ECS.4', 'ECS containers should run as non-privileged', ECS_TASK_DEFINITION),
  c('ECS.5', 'ECS task definitions should configure containers to be limited to read-only access to root filesystems', ECS_TASK_DEFINITION),
  c('ECS.8', 'Secrets should not be passed as container environment variables', ECS_TASK_DEFINITION),
  c('ECS.9', 'ECS task definitions should have a logging configuration', ECS_TASK_DEFINITION),
  c('ECS.10', 'ECS Fargate services should run on the latest Fargate platform version'),
  c('ECS.12', 'ECS clusters should use Container Insights'),
  c('ECS.16', 'ECS task sets should not automatically assign public IP addresses'),
  c('ECS.17', 'ECS task definitions should not use host network mode', ECS_TASK_DEFINITION),
  c('ECS.18', 'ECS Task Definitions should use in-transit encryption for EFS volumes', ECS_TASK_DEFINITION),
  c('ECS.19', 'ECS capacity providers should have managed termination protection enabled', notModeled('AWS.ECS.CapacityProvider')),
  c('ECS.20', 'ECS Task Definitions should configure non-root users in Linux container definitions', ECS_TASK_DEFINITION),
  c('ECS.21', 'ECS Task Definitions should configure non-administrator users in Windows container definitions', ECS_TASK_DEFINITION),

  c('EFS.1', 'Elastic File System should be configured to encrypt file data at-rest using AWS KMS'),
  c('EFS.2', 'Amazon EFS volumes should be in backup plans', BACKUP_SELECTIONS),
  c('EFS.3', 'EFS access points should enforce a root directory'),
  c('EFS.4', 'EFS access points should enforce a user identity'),
  c('EFS.6', 'EFS mount targets should not be associated with subnets that assign public IP addresses on launch', SUBNET),
  c('EFS.7', 'EFS file systems should have automatic backups enabled'),
  c('EFS.8', 'EFS file systems should be encrypted at rest'),

  c('EKS.1', 'EKS cluster endpoints should not be publicly accessible'),
  c('EKS.2', 'EKS clusters should run on a supported Kubernetes version'),
  c('EKS.3', 'EKS clusters should use encrypted Kubernetes secrets'),
  c('EKS.8', 'EKS clusters should have audit logging enabled'),

  c('ElastiCache.1', 'ElastiCache (Redis OSS) clusters should have automatic backups enabled'),
  c('ElastiCache.2', 'ElastiCache clusters should have automatic minor version upgrades enabled'),
  c('ElastiCache.3', 'ElastiCache replication groups should have automatic failover enabled'),
  c('ElastiCache.4', 'ElastiCache replication groups should be encrypted at rest'),
  c('ElastiCache.5', 'ElastiCache replication groups should be encrypted in transit'),
  c('ElastiCache.6', 'ElastiCache (Redis OSS) replication groups of earlier versions should have Redis OSS AUTH enabled'),
  c('ElastiCache.7', 'ElastiCache clusters should not use the default subnet group'),

  c('ElasticBeanstalk.1', 'Elastic Beanstalk environments should have enhanced health reporting enabled', BEANSTALK),
  c('ElasticBeanstalk.2', 'Elastic Beanstalk managed platform updates should be enabled', BEANSTALK),
  c('ElasticBeanstalk.3', 'Elastic Beanstalk should stream logs to CloudWatch', BEANSTALK),

  c('ELB.1', 'Application Load Balancer should be configured to redirect all HTTP requests to HTTPS'),
  c('ELB.2', 'Classic Load Balancers with SSL/HTTPS listeners should use a certificate provided by AWS Certificate Manager'),
  c('ELB.3', 'Classic Load Balancer listeners should be configured with HTTPS or TLS termination'),
  c('ELB.4', 'Application Load Balancer should be configured to drop invalid http headers', ALB_ATTRIBUTES),
  c('ELB.5', 'Application and Classic Load Balancers logging should be enabled'),
  c('ELB.6', 'Application, Gateway, and Network Load Balancers should have deletion protection enabled'),
  c('ELB.7', 'Classic Load Balancers should have connection draining enabled'),
  c('ELB.8', 'Classic Load Balancers with SSL listeners should use a predefined security policy that has strong AWS Configuration'),
  c('ELB.9', 'Classic Load Balancers should have cross-zone load balancing enabled'),
  c('ELB.10', 'Classic Load Balancer should span multiple Availability Zones'),
  c('ELB.12', 'Application Load Balancer should be configured with defensive or strictest desync mitigation mode', ALB_ATTRIBUTES),
  c('ELB.13', 'Application, Network and Gateway Load Balancers should span multiple Availability Zones'),
  c('ELB.14', 'Classic Load Balancer should be configured with defensive or strictest desync mitigation mode'),
  c('ELB.16', 'Application Load Balancers should be associated with an AWS WAF web ACL'),
  c('ELB.17', 'Application and Network Load Balancers with listeners should use recommended security policies'),
  c('ELB.18', 'Application and Network Load Balancer listeners should use secure protocols to encrypt data in transit'),

  c('EMR.1', 'Amazon EMR cluster primary nodes should not have public IP addresses'),
  c('EMR.2', 'Amazon EMR block public access setting should be enabled', notCollected('the account-region EMR block public access configuration (elasticmapreduce:GetBlockPublicAccessConfiguration)')),
  c('EMR.3', 'Amazon EMR security configurations should be encrypted at rest'),
  c('EMR.4', 'Amazon EMR security configurations should be encrypted in transit'),

  c('ES.1', 'Elasticsearch domains should have encryption at-rest enabled'),
  c('ES.2', 'Elasticsearch domains should not be publicly accessible'),
  c('ES.3', 'Elasticsearch domains should encrypt data sent between nodes'),
  c('ES.4', 'Elasticsearch domain error logging to CloudWatch Logs should be enabled'),
  c('ES.5', 'Elasticsearch domains should have audit logging enabled'),
  c('ES.6', 'Elasticsearch domains should have at least three data nodes'),
  c('ES.7', 'Elasticsearch domains should be configured with at least three dedicated master nodes'),
  c('ES.8', 'Connections to Elasticsearch domains should be encrypted using the latest TLS security policy'),

  c('EventBridge.3', 'EventBridge custom event buses should have a resource-based policy attached'),
  c('EventBridge.4', 'EventBridge global endpoints should have event replication enabled', notModeled('AWS.EventBridge.Endpoint')),
];
