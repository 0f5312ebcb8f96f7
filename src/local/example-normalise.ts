/**
 * Normalisation of scanned example resources, so that re-scanning an unchanged estate writes
 * byte-identical docs. Only values the emulator makes up per run are touched:
 *
 * 1. Timestamps of the run (ISO 8601 strings, also inside ARNs, and epoch-millisecond numbers
 *    within a day before to ten years after `runStart`) become EXAMPLE_EPOCH plus the same whole
 *    number of days (a certificate's NotAfter stays a year after its NotBefore); the format (Z or
 *    none, fraction digits) is kept. Fixed dates, e.g. the credential report's N/A
 *    0001-01-01T00:00:00Z or documented responses, are left alone.
 * 2. Lists the emulator returns in the order of their random IDs (UNORDERED: a VPC's security
 *    groups, network ACLs, route tables, ACL associations, a volume's snapshots; a certificate's
 *    names and their validations, kept in a set) are sorted by their content with the generated
 *    values masked.
 * 3. Generated identifiers — UUIDs, EC2-style `prefix-<17 characters>`, hex load-balancer and
 *    detector IDs, IAM unique IDs and access key IDs, CloudFormation physical-name suffixes,
 *    emulator hostnames and the like (RANDOM below) — become fixed placeholders of the same shape,
 *    numbered in order of first appearance in the resource, so equal IDs stay equal.
 */

export const EXAMPLE_EPOCH = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const TEN_YEARS = 3653 * DAY;

const ISO = /\b(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?/g;

const pad = (n: number, width: number, radix = 10) => n.toString(radix).padStart(width, '0');

/** A kind of generated value: `find` matches it, `make` builds its n-th placeholder (1-based). */
interface Random {
  find: RegExp;
  make: (n: number) => string;
}

/** IAM unique IDs by the key that holds them (moto's do not follow AWS's prefixes). */
const IAM_ID_PREFIX: Record<string, string> = { UserId: 'AIDA', RoleId: 'AROA', PolicyId: 'ANPA', InstanceProfileId: 'AIPA', AccessKeyId: 'AKIA' };

const RANDOM: Random[] = [
  { find: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, make: (n) => `00000000-0000-4000-8000-${pad(n, 12)}` },
  // EC2 and related IDs: sg-, vpc-, subnet-, i-, vol-, snap-, ami-, acl-, rtb-, igw-, eni-attach-, iip-assoc-, …
  { find: /\b(?<=(?:[a-z]+-)*[a-z]+-)[0-9a-z]{17}\b/g, make: (n) => pad(n, 17) },
  // Load balancer and listener IDs (16 hex), GuardDuty detector IDs (32 hex).
  { find: /(?<=\/)[0-9a-f]{16}\b/g, make: (n) => pad(n, 16) },
  { find: /\b[0-9a-f]{32}\b/g, make: (n) => pad(n, 32) },
  // CloudFormation physical names (`<stack>-<logical id>-<suffix>`).
  // The suffix is 12-13 upper-case letters and digits (letters only, sometimes; never digits only,
  // which would be an account ID).
  { find: /(?<=[A-Za-z0-9]-[A-Za-z0-9]+-)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{12,13}(?![A-Za-z0-9-])/g, make: (n) => `EXAMPLE${pad(n, 5)}` },
  { find: /(?<=scalable-target\/)[0-9a-z]{36}\b/g, make: (n) => pad(n, 36) },
  { find: /(?<=ecs-svc\/)\d+/g, make: (n) => pad(n, 19) },
  // Emulator hostnames and OIDC issuers (EKS), cluster endpoint IDs (Redshift).
  { find: /(?<=https:\/\/)[A-Za-z0-9]+\.[A-Za-z0-9]+(?=\.[a-z0-9-]+\.eks\.amazonaws\.com)/g, make: (n) => `EXAMPLE${pad(n, 25, 16).toUpperCase()}.gr7` },
  { find: /(?<=\/id\/)[A-Za-z0-9]+/g, make: (n) => `EXAMPLE${pad(n, 25, 16).toUpperCase()}` },
  { find: /(?<=^[a-z0-9-]+\.)[0-9a-z]{12}(?=\.[a-z0-9-]+\.redshift\.amazonaws\.com)/g, make: (n) => pad(n, 12) },
  { find: /\b02:00:00(?::[0-9a-f]{2}){3}\b/g, make: (n) => `02:00:00:00:00:${pad(n, 2, 16)}` },
  // Secrets Manager ARN suffixes (6 random characters), Cognito user pool IDs (moto: 32 hex after
  // the region's underscore), Organizations IDs (o-, p-, r-, ou-), the emulator's port in queue URLs.
  { find: /(?<=:secret:[^"\s:]+-)[A-Za-z0-9]{6}\b/g, make: (n) => `EXM${pad(n, 3)}` },
  { find: /(?<=\b[a-z]{2}(?:-gov)?-[a-z]+-\d_)[0-9a-f]{32}\b/g, make: (n) => pad(n, 32) },
  { find: /(?<=\bo-)[a-z0-9]{10}\b/g, make: (n) => `example${pad(n, 3)}` },
  { find: /(?<=\bp-)[a-z0-9]{8}\b/g, make: (n) => `exam${pad(n, 4)}` },
  { find: /(?<=\bou-[a-z0-9]{4}-)[a-z0-9]{8}\b/g, make: (n) => `exam${pad(n, 4)}` },
  { find: /(?<=\br-)[a-z0-9]{4}\b/g, make: (n) => `ex${pad(n, 2)}` },
  { find: /(?<=\/\/(?:127\.0\.0\.1|localhost):)\d{2,5}\b/g, make: () => '5000' },
  // DB cluster endpoints (`<id>.cluster-<12>.` and `.cluster-ro-<12>.`), cluster resource IDs.
  { find: /(?<=\.cluster-(?:ro-)?)[0-9a-z]{12}(?=\.[a-z0-9-]+\.rds\.amazonaws\.com)/g, make: (n) => pad(n, 12) },
  { find: /\bcluster-[A-Z0-9]{26}\b/g, make: (n) => `cluster-EXAMPLE${pad(n, 19)}` },
  // AWS Backup plan version IDs (48 letters of both cases and digits).
  { find: /\b(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{48}\b/g, make: (n) => `EXAMPLEVERSION${pad(n, 34)}` },
  // EFS file system, mount target and access point IDs (moto makes them 8 hex digits).
  { find: /(?<=\b(?:fs|fsmt|fsap)-)[0-9a-f]{8}\b/g, make: (n) => pad(n, 8, 16) },
  // API Gateway API IDs (in ARNs and endpoints), CloudFront distribution IDs and domains, Route 53
  // zone IDs, ElastiCache endpoint IDs.
  { find: /(?<=\/(?:restapis|apis)\/)[a-z0-9]{8,10}\b/g, make: (n) => `example${pad(n, 3)}` },
  { find: /(?<=https:\/\/)[a-z0-9]{8,10}(?=\.execute-api\.)/g, make: (n) => `example${pad(n, 3)}` },
  { find: /(?<=:distribution\/)[A-Z0-9]{13,14}\b/g, make: (n) => `EEXAMPLE${pad(n, 6)}` },
  { find: /\b[a-z0-9]{13,14}(?=\.cloudfront\.net\b)/g, make: (n) => `d${pad(n, 12)}` },
  { find: /(?<=:hostedzone\/)[A-Z0-9]{13,32}\b/g, make: (n) => `Z${pad(n, 20)}` },
  { find: /(?<=\.)[a-z0-9]{6}(?=\.[a-z0-9]+\.cache\.amazonaws\.com)/g, make: (n) => `abc${pad(n, 3)}` },
  // EMR cluster and instance IDs; the emulator's instance addresses (public 54.214.x.y, default
  // VPC 172.31.x.y) and the DNS names made of them; its Amazon MQ broker and configuration IDs.
  { find: /(?<=\b[ij]-)[A-Z0-9]{13}\b/g, make: (n) => `EXAMPLE${pad(n, 6)}` },
  { find: /\b54\.214\.\d{1,3}\.\d{1,3}\b/g, make: (n) => `54.214.0.${n}` },
  { find: /\bec2-54-214-\d{1,3}-\d{1,3}\b/g, make: (n) => `ec2-54-214-0-${n}` },
  { find: /\b172\.31\.\d{1,3}\.\d{1,3}\b/g, make: (n) => `172.31.0.${n}` },
  { find: /\bip-172-31-\d{1,3}-\d{1,3}\b/g, make: (n) => `ip-172-31-0-${n}` },
  { find: /(?<=:broker:)[0-9a-f]{6}\b/g, make: (n) => pad(n, 6, 16) },
  { find: /(?<=\bc-)[0-9a-f]{6}\b/g, make: (n) => pad(n, 6, 16) },
];

const ACCOUNT_ID = /^\d{12}$/;

/** Epoch seconds as a string, as SQS reports CreatedTimestamp ("1796457944"; moto adds a fraction). */
const EPOCH_SECONDS = /^(\d{10})(\.\d+)?$/;

/** Values generated whole, by the key that holds them. */
const RANDOM_BY_KEY: Record<string, (n: number) => string> = {
  ...Object.fromEntries(Object.entries(IAM_ID_PREFIX).map(([key, prefix]) => [key, (n: number) => `${prefix}EXAMPLE${pad(n, key === 'AccessKeyId' ? 9 : 10)}`])),
  // IAM group IDs share the key with security-group IDs (those are caught as EC2 IDs first).
  GroupId: (n) => `AGPAEXAMPLE${pad(n, 10)}`,
  Serial: (n) => pad(n, 40),
  // A DB cluster's Route 53 zone (moto makes one up per cluster).
  HostedZoneId: (n) => `Z${pad(n, 13)}`,
  // An EKS cluster's certificate authority (random base64 from the emulator).
  Data: () => 'RVhBTVBMRS1DRVJUSUZJQ0FURS1BVVRIT1JJVFk=',
  // API Gateway resource, deployment and route IDs.
  RootResourceId: (n) => `res${pad(n, 7)}`,
  DeploymentId: (n) => `dep${pad(n, 7)}`,
  RouteId: (n) => `rte${pad(n, 5)}`,
};

/** Values generated whole, by the key that holds them, only inside the named container (moto's
 *  EMR instances get random private addresses whatever their subnet). */
const RANDOM_BY_KEY_IN: Record<string, Record<string, (n: number) => string>> = {
  MasterInstances: {
    PrivateIpAddress: (n) => `10.0.0.${n}`,
    PrivateDnsName: (n) => `ip-10-0-0-${n}.ec2.internal`,
  },
};

/** Keys of lists whose order follows the emulator's random IDs (AWS documents no order either). */
const UNORDERED = new Set(['SecurityGroups', 'NetworkAcls', 'RouteTables', 'Associations', 'Snapshots', 'SubjectAlternativeNames', 'DomainValidationOptions']);

/** The text of `value` with every generated value and timestamp masked: equal across runs. */
function masked(value: unknown): string {
  let s = JSON.stringify(value);
  for (const r of RANDOM) s = s.replace(r.find, '#');
  return s.replace(ISO, '#');
}

function sortUnordered(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => sortUnordered(v));
    if (!key || !UNORDERED.has(key)) return items;
    const keyed = items.map((v) => [masked(v), v] as const);
    return keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sortUnordered(v, k)]));
  return value;
}

function runTime(value: number, runStart: number): number | undefined {
  return value >= runStart - DAY && value <= runStart + TEN_YEARS ? EXAMPLE_EPOCH + Math.round((value - runStart) / DAY) * DAY : undefined;
}

function normaliseTimestamps(s: string, runStart: number): string {
  return s.replace(ISO, (m, y, mo, d, h, mi, sec, frac: string | undefined, zone: string | undefined) => {
    const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec);
    // Emulator times are UTC; a time with another offset is not one of the run's.
    const mapped = zone && zone !== 'Z' && zone !== '+00:00' ? undefined : runTime(t, runStart);
    if (mapped === undefined) return m;
    const iso = new Date(mapped).toISOString().slice(0, 19);
    return `${iso}${frac ? `.${'0'.repeat(frac.length - 1)}` : ''}${zone ?? ''}`;
  });
}

/** `resource` with the run's timestamps and generated IDs replaced (see the module comment). */
export function normaliseExample(scanned: object, runStart: number): unknown {
  const resource = sortUnordered(scanned);
  // Pass 1: every generated value, in order of first appearance, with its placeholder.
  const placeholders = new Map<string, string>();
  const counts = new Map<object, number>();
  const note = (kind: object, raw: string, make: (n: number) => string) => {
    if (placeholders.has(raw)) return;
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    placeholders.set(raw, make(n));
  };
  const collect = (value: unknown, key?: string, container?: string): void => {
    if (Array.isArray(value)) value.forEach((v) => collect(v, key, container));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        // Map keys can be generated too (a secret's version IDs).
        for (const r of RANDOM) for (const m of k.matchAll(r.find)) note(r, m[0], r.make);
        collect(v, k, key && RANDOM_BY_KEY_IN[key] ? key : container);
      }
    else if (typeof value === 'string') {
      const inContainer = container && key ? RANDOM_BY_KEY_IN[container]?.[key] : undefined;
      if (inContainer && value) {
        note(inContainer, value, inContainer);
        return;
      }
      for (const r of RANDOM) for (const m of value.matchAll(r.find)) note(r, m[0], r.make);
      const byKey = key ? RANDOM_BY_KEY[key] : undefined;
      // An account ID (a snapshot shared with another account) is not generated.
      if (byKey && value && !ACCOUNT_ID.test(value) && ![...placeholders.keys()].some((raw) => value.includes(raw))) note(byKey, value, byKey);
    }
  };
  collect(resource);
  // Longest first, so a value that contains another is replaced whole.
  const raws = [...placeholders.keys()].sort((a, b) => b.length - a.length);
  const replaced = (value: string): string => {
    let s = value;
    for (const raw of raws) if (s.includes(raw)) s = s.split(raw).join(placeholders.get(raw)!);
    return s;
  };
  // Pass 2: replace them everywhere (map keys too), and map the run's timestamps.
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [replaced(k), rewrite(v)]));
    if (typeof value === 'number') return runTime(value, runStart) ?? value;
    if (typeof value !== 'string') return value;
    const seconds = EPOCH_SECONDS.exec(value);
    const mappedSeconds = seconds ? runTime(Number(seconds[1]) * 1000, runStart) : undefined;
    // Whole seconds, as AWS reports them (moto adds a fraction whose length varies with the float).
    if (seconds && mappedSeconds !== undefined) return `${mappedSeconds / 1000}`;
    return normaliseTimestamps(replaced(value), runStart);
  };
  return rewrite(resource);
}

