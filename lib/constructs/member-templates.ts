/**
 * The bucket `posture accounts add` publishes the member template to, for the console's
 * CloudFormation quick-create link. CloudFormation fetches a template URL with the credentials of
 * whoever creates the stack — a person in the member account — so the bucket admits exactly the
 * configured Organization and member accounts to read `templates/*`. It is encrypted with S3's
 * own key rather than the data key: the template holds no secret (the ExternalId is a stack
 * parameter in the link, never in the file), and a KMS key would need a cross-account grant for
 * every reader.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MEMBER_TEMPLATES_PREFIX } from '#accounts/member-template.ts';

export interface MemberTemplatesProps {
  accessLogsBucket: s3.IBucket;
  organizationId?: string;
  memberAccountIds: string[];
}

export class MemberTemplates extends Construct {
  readonly bucket: s3.Bucket;
  /** Who may read the templates: the Organization ID and/or account IDs (empty: only this account). */
  readonly readers: string[];

  constructor(scope: Construct, id: string, props: MemberTemplatesProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'templates-bucket/',
      lifecycleRules: [{ id: 'noncurrent-versions', noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const objects = this.bucket.arnForObjects(`${MEMBER_TEMPLATES_PREFIX}*`);
    if (props.organizationId) {
      // Principal "*" narrowed by aws:PrincipalOrgID, which S3 does not count as public access.
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'OrganizationReadsMemberTemplates',
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:GetObject'],
          resources: [objects],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        }),
      );
    }
    if (props.memberAccountIds.length) {
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'MemberAccountsReadMemberTemplates',
          principals: props.memberAccountIds.map((a) => new iam.AccountPrincipal(a)),
          actions: ['s3:GetObject'],
          resources: [objects],
        }),
      );
    }
    this.readers = [...(props.organizationId ? [props.organizationId] : []), ...props.memberAccountIds];
  }
}
