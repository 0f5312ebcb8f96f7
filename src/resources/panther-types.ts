/**
 * The AWS resource types Panther has documented (its policy schema's ResourceTypes, the same list
 * panther_analysis_tool validates) and, for each one Posture does not scan, why. A Panther pack
 * naming such a type stays valid — `posture test` runs its tests and scans load it — but no
 * resource of that type ever reaches it, and scans say so once. This is the one home of that
 * knowledge: the engine receives the names as `--known-types`, scans print the reasons.
 */
import { REGISTRY, resourceTypeNames, type AnyResourceType } from './index.ts';

/** Every AWS resource type Panther has documented, including the ones AWS has since retired. */
export const PANTHER_DOCUMENTED_TYPES: readonly string[] = Object.freeze([
  'AWS.ACM.Certificate',
  'AWS.CloudFormation.Stack',
  'AWS.CloudTrail',
  'AWS.CloudTrail.Meta',
  'AWS.CloudWatch.LogGroup',
  'AWS.Config.Recorder',
  'AWS.Config.Recorder.Meta',
  'AWS.DynamoDB.Table',
  'AWS.EC2.AMI',
  'AWS.EC2.Instance',
  'AWS.EC2.NetworkACL',
  'AWS.EC2.SecurityGroup',
  'AWS.EC2.Volume',
  'AWS.EC2.VPC',
  'AWS.ECS.Cluster',
  'AWS.EKS.Cluster',
  'AWS.ELBV2.ApplicationLoadBalancer',
  'AWS.GuardDuty.Detector',
  'AWS.GuardDuty.Detector.Meta',
  'AWS.IAM.Group',
  'AWS.IAM.Policy',
  'AWS.IAM.Role',
  'AWS.IAM.RootUser',
  'AWS.IAM.User',
  'AWS.KMS.Key',
  'AWS.Lambda.Function',
  'AWS.PasswordPolicy',
  'AWS.RDS.Instance',
  'AWS.Redshift.Cluster',
  'AWS.S3.Bucket',
  'AWS.WAF.Regional.WebACL',
  'AWS.WAF.WebACL',
]);

const WAF_CLASSIC = 'WAF Classic was retired by AWS on 2025-09-30; Posture scans AWS WAF (wafv2) web ACLs as AWS.WAFv2.WebACL';

/** Panther-documented types Posture does not scan → why (one line each). */
export const NOT_SCANNED: Readonly<Record<string, string>> = Object.freeze({
  'AWS.WAF.WebACL': WAF_CLASSIC,
  'AWS.WAF.Regional.WebACL': WAF_CLASSIC,
});

/** The Panther-documented types the registry does not scan, sorted (the engine's `--known-types`). */
export function unscannedPantherTypes(registry: readonly AnyResourceType[] = REGISTRY): string[] {
  const scanned = new Set(resourceTypeNames(registry));
  return PANTHER_DOCUMENTED_TYPES.filter((t) => !scanned.has(t)).sort();
}

/** Why `type` is not scanned: the reason recorded above, or a plain statement for a registry subset. */
export function notScannedReason(type: string): string {
  return NOT_SCANNED[type] ?? 'Posture has no scanner for it';
}

/**
 * One line per (policy, type) where an enabled policy targets a type that is known but not
 * scanned, from the engine's `targets` (policy ID → ResourceTypes): what a scan prints once.
 */
export function notScannedNotes(targets: Readonly<Record<string, readonly string[]>>, registry: readonly AnyResourceType[] = REGISTRY): string[] {
  const scanned = new Set(resourceTypeNames(registry));
  return Object.keys(targets)
    .sort()
    .flatMap((policyId) =>
      [...targets[policyId]!].sort().filter((t) => !scanned.has(t)).map((t) => `policy ${policyId} targets ${t}, which is not scanned: ${notScannedReason(t)}`),
    );
}
