/**
 * The bucket `posture accounts add` publishes the member template to, for the console's
 * CloudFormation quick-create link. CloudFormation fetches a template URL with the credentials of
 * whoever creates the stack — a person in the member account — so the bucket admits exactly the
 * configured Organization and member accounts to read `templates/*`. It is encrypted with S3's
 * own key rather than the data key: the template holds no secret (the ExternalId is a stack
 * parameter in the link, never in the file), and a KMS key would need a cross-account grant for
 * every reader.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucket } from './buckets.ts';
import { MEMBER_TEMPLATES_PREFIX } from '#onboarding/member-template.ts';

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
    this.bucket = privateBucket(this, 'Bucket', { accessLogsBucket: props.accessLogsBucket, logPrefix: 'templates-bucket/', noncurrentDays: 30 });
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
