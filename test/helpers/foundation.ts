/** The four foundation types: pipeline tests pin them so that they test the pipeline, not the type list. */
import { EC2_SECURITY_GROUP } from '../../src/resources/ec2-security-group.ts';
import { IAM_USER } from '../../src/resources/iam-user.ts';
import type { AnyResourceType } from '../../src/resources/index.ts';
import { PASSWORD_POLICY } from '../../src/resources/password-policy.ts';
import { S3_BUCKET } from '../../src/resources/s3-bucket.ts';

export const FOUNDATION_TYPES: readonly AnyResourceType[] = [S3_BUCKET, EC2_SECURITY_GROUP, IAM_USER, PASSWORD_POLICY] as AnyResourceType[];
