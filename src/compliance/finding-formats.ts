/**
 * Findings in exchange formats: CSV (RFC 4180 quoting), OCSF Compliance Finding (class 2003, JSON
 * lines) and the AWS Security Finding Format (ASFF) for Security Hub's BatchImportFindings. Each
 * carries the framework controls of the finding's policy (joinCatalog) and the cause of the
 * verdict's last change (the CloudTrail caller, or the scan window) as the format spells them.
 */
import { createHash } from 'node:crypto';
import { newestActor, oneLine, type Actor } from '#core/provenance.ts';
import type { Severity, Status } from '#core/types.ts';
import { requirementNames } from './catalog.ts';
import type { Finding } from './findings.ts';
import { REGISTRY } from '#resources/index.ts';

// ---------------------------------------------------------------- CSV

const FINDING_COLUMNS = [
  'accountId',
  'region',
  'resourceType',
  'resourceId',
  'policyId',
  'title',
  'severity',
  'status',
  'suppressed',
  'suppressedBy',
  'errorMessage',
  'trigger',
  'lastChanged',
  'lastVerified',
  'verifiedBy',
  'cause',
] as const satisfies readonly (keyof Finding)[];

/** The newest event's actor and the scan window, one column each (the JSON export keeps every actor). */
const PROVENANCE_COLUMNS = {
  actor_arn: (f) => newestActor(f.provenance)?.arn,
  actor_event: (f) => newestActor(f.provenance)?.eventName,
  actor_source_ip: (f) => newestActor(f.provenance)?.sourceIPAddress,
  actor_user_agent: (f) => newestActor(f.provenance)?.userAgent,
  actor_time: (f) => newestActor(f.provenance)?.eventTime,
  change_window_from: (f) => f.provenance?.window?.from,
  change_window_to: (f) => f.provenance?.window?.to,
} as const satisfies Record<string, (f: Finding) => string | null | undefined>;

const POLICY_COLUMNS = ['runbook', 'reference'] as const satisfies readonly (keyof Finding)[];

/** `frameworks`: the policy's requirements as `FRAMEWORK/CONTROL`, separated by `; `. */
export const CSV_COLUMNS = [...FINDING_COLUMNS, ...(Object.keys(PROVENANCE_COLUMNS) as (keyof typeof PROVENANCE_COLUMNS)[]), ...POLICY_COLUMNS, 'frameworks'] as const;

const frameworksCell = (f: Finding): string => requirementNames(f.requirements ?? []).join('; ');

/** One CSV field: quoted when it holds a comma, quote, CR/LF or edge whitespace; quotes doubled. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(findings: readonly Finding[]): string {
  const row = (f: Finding) =>
    [
      ...FINDING_COLUMNS.map((c) => csvField(f[c])),
      ...Object.values(PROVENANCE_COLUMNS).map((cell) => csvField(cell(f))),
      ...POLICY_COLUMNS.map((c) => csvField(f[c])),
      csvField(frameworksCell(f)),
    ].join(',');
  const lines = [CSV_COLUMNS.join(','), ...findings.map(row)];
  return lines.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------- shared

/** Stable per (policy, resource): a re-export updates the same finding instead of adding one. */
export function findingUid(policyId: string, resourceId: string): string {
  return createHash('sha256').update(`${policyId}\n${resourceId}`).digest('hex');
}

const PRODUCT = { name: 'Posture', vendor_name: 'Posture', version: '0.1.0' };

const ms = (iso: string | null | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);

// ---------------------------------------------------------------- OCSF

export const OCSF_VERSION = '1.1.0';

const OCSF_SEVERITY: Record<Severity, { id: number; name: string }> = {
  Info: { id: 1, name: 'Informational' },
  Low: { id: 2, name: 'Low' },
  Medium: { id: 3, name: 'Medium' },
  High: { id: 4, name: 'High' },
  Critical: { id: 5, name: 'Critical' },
};

/** Compliance object status: 1 Pass, 3 Fail, 99 Other (the evaluation errored). */
const OCSF_COMPLIANCE: Record<Status, { id: number; name: string }> = {
  PASS: { id: 1, name: 'Pass' },
  FAIL: { id: 3, name: 'Fail' },
  ERROR: { id: 99, name: 'Other' },
};

export interface OcsfFinding {
  class_uid: 2003;
  class_name: 'Compliance Finding';
  category_uid: 2;
  category_name: 'Findings';
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  time: number;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  status_detail?: string;
  message: string;
  metadata: { version: string; product: typeof PRODUCT; uid: string; logged_time: number; profiles: string[] };
  finding_info: { uid: string; title: string; desc?: string; created_time?: number; modified_time?: number; types: string[]; src_url?: string };
  compliance: { standards: string[]; requirements?: string[]; control: string; status_id: number; status: string; status_detail?: string };
  resources: { uid: string; type: string; region: string; cloud_partition: string; owner: { account: { uid: string; type: string; type_id: number } } }[];
  cloud: { provider: 'AWS'; region: string; account: { uid: string; type: string; type_id: number } };
  remediation?: { desc: string; references?: string[] };
  /** Host profile: who made the newest call behind the verdict's last change. */
  actor?: OcsfActor;
  /** Cloud profile: that call. */
  api?: { operation: string; service: { name: string } };
  unmapped: Record<string, unknown>;
}

/** OCSF 1.1 Actor, User and Session objects, as much of them as CloudTrail's userIdentity fills. */
export interface OcsfActor {
  user?: { uid?: string; uid_alt?: string; type?: string; account?: { uid: string; type: string; type_id: number } };
  session?: { issuer: string };
  invoked_by?: string;
}

const awsAccount = (uid: string) => ({ uid, type: 'AWS Account', type_id: 10 });

/**
 * The actor of a CloudTrail event in OCSF terms: user.uid the caller's ARN, user.uid_alt its
 * principal ID, user.type userIdentity.type, user.account the caller's account; session.issuer the
 * role behind an assumed-role session; invoked_by the AWS service that called for it. Undefined
 * when the event named none of them (the Actor object needs at least one).
 */
export function ocsfActor(a: Actor): OcsfActor | undefined {
  const user = {
    ...(a.arn ? { uid: a.arn } : {}),
    ...(a.principalId ? { uid_alt: a.principalId } : {}),
    ...(a.identityType ? { type: a.identityType } : {}),
    ...(a.accountId ? { account: awsAccount(a.accountId) } : {}),
  };
  const actor: OcsfActor = {
    ...(user.uid || user.account ? { user } : {}),
    ...(a.sessionIssuer ? { session: { issuer: a.sessionIssuer } } : {}),
    ...(a.invokedBy ? { invoked_by: a.invokedBy } : {}),
  };
  return Object.keys(actor).length ? actor : undefined;
}

/**
 * Provenance in an OCSF Compliance Finding. The class has `actor` (host profile) and `api` (cloud
 * profile) but no `src_endpoint` or `http_request`: the caller's IP and user agent go to
 * `unmapped` under those objects' names, beside the cause line and the provenance as stored.
 */
function ocsfProvenance(f: Finding): Pick<OcsfFinding, 'actor' | 'api'> & { unmapped: Record<string, unknown> } {
  const a = newestActor(f.provenance);
  const actor = a && ocsfActor(a);
  return {
    ...(actor ? { actor } : {}),
    ...(a ? { api: { operation: a.eventName, service: { name: a.eventSource } } } : {}),
    unmapped: {
      ...(f.cause ? { cause: f.cause } : {}),
      ...(a?.sourceIPAddress ? { src_endpoint: { ip: a.sourceIPAddress } } : {}),
      ...(a?.userAgent ? { http_request: { user_agent: a.userAgent } } : {}),
      ...(f.provenance ? { provenance: f.provenance } : {}),
    },
  };
}

export function toOcsf(f: Finding, opts: { partition: string; now: Date }): OcsfFinding {
  // Activity: 1 Create (failing), 2 Update (failing but suppressed), 3 Close (passing).
  const activity = f.status === 'PASS' ? { id: 3, name: 'Close' } : f.suppressed ? { id: 2, name: 'Update' } : { id: 1, name: 'Create' };
  // Finding status: 1 New, 3 Suppressed, 4 Resolved.
  const status = f.status === 'PASS' ? { id: 4, name: 'Resolved' } : f.suppressed ? { id: 3, name: 'Suppressed' } : { id: 1, name: 'New' };
  const sev = OCSF_SEVERITY[f.severity];
  const comp = OCSF_COMPLIANCE[f.status];
  const account = { uid: f.accountId, type: 'AWS Account', type_id: 10 };
  const uid = findingUid(f.policyId, f.resourceId);
  const title = f.title ?? f.policyId;
  const reqs = f.requirements ?? [];
  const prov = ocsfProvenance(f);
  return {
    class_uid: 2003,
    class_name: 'Compliance Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: 2003 * 100 + activity.id,
    type_name: `Compliance Finding: ${activity.name}`,
    time: ms(f.lastVerified ?? f.lastChanged)!,
    severity_id: sev.id,
    severity: sev.name,
    status_id: status.id,
    status: status.name,
    ...(f.suppressedBy ? { status_detail: `exception ${f.suppressedBy}` } : {}),
    message: `${title}: ${f.status} on ${f.resourceId}`,
    metadata: { version: OCSF_VERSION, product: PRODUCT, uid, logged_time: opts.now.getTime(), profiles: prov.actor ? ['cloud', 'host'] : ['cloud'] },
    finding_info: {
      uid,
      title,
      ...(f.description ? { desc: f.description } : {}),
      created_time: ms(f.lastChanged),
      modified_time: ms(f.lastVerified ?? f.lastChanged),
      types: ['Posture Policy'],
      ...(f.reference ? { src_url: f.reference } : {}),
    },
    compliance: {
      // The frameworks the policy reports against; a policy mapped to none is its own standard.
      standards: reqs.length ? [...new Set(reqs.map((r) => r.framework))] : ['Posture policies'],
      ...(reqs.length ? { requirements: requirementNames(reqs) } : {}),
      control: reqs[0]?.control ?? f.policyId,
      status_id: comp.id,
      status: comp.name,
      ...(f.errorMessage ? { status_detail: f.errorMessage } : {}),
    },
    resources: [{ uid: f.resourceId, type: f.resourceType, region: f.region, cloud_partition: opts.partition, owner: { account } }],
    cloud: { provider: 'AWS', region: f.region, account },
    ...(f.runbook ? { remediation: { desc: f.runbook, ...(f.reference ? { references: [f.reference] } : {}) } } : {}),
    ...(prov.actor ? { actor: prov.actor } : {}),
    ...(prov.api ? { api: prov.api } : {}),
    unmapped: { policyId: f.policyId, trigger: f.trigger, lastVerified: f.lastVerified, verifiedBy: f.verifiedBy, suppressedBy: f.suppressedBy, ...prov.unmapped },
  };
}

/** JSON lines: one OCSF event per line. */
export function toOcsfLines(findings: readonly Finding[], opts: { partition: string; now: Date }): string {
  return findings.map((f) => JSON.stringify(toOcsf(f, opts)) + '\n').join('');
}

// ---------------------------------------------------------------- ASFF

export interface AsffContext {
  partition: string;
  /** The Security Hub region the findings are imported into. */
  region: string;
  /** The security account, whose default product receives the findings. */
  securityAccountId: string;
}

const ASFF_SEVERITY: Record<Severity, string> = { Info: 'INFORMATIONAL', Low: 'LOW', Medium: 'MEDIUM', High: 'HIGH', Critical: 'CRITICAL' };
/**
 * Security Hub's values: PASSED, FAILED, and NOT_AVAILABLE for a check that could not be performed
 * (an API error: what an errored policy is). WARNING (information missing, configuration not
 * supported) has no Posture counterpart.
 */
const ASFF_COMPLIANCE: Record<Status, string> = { PASS: 'PASSED', FAIL: 'FAILED', ERROR: 'NOT_AVAILABLE' };

/** Compliance.RelatedRequirements: at most 32 entries (AwsSecurityFinding Compliance); each clipped to 256 characters. */
export const ASFF_MAX_REQUIREMENTS = 32;
const ASFF_REQUIREMENT_LENGTH = 256;

/** Security Hub's resource type of a registry type (its `asffType`), `Other` for types it has none for. */
export const asffResourceType = (t: string): string => REGISTRY.find((r) => r.type === t)?.asffType ?? 'Other';

export const defaultProductArn = (c: AsffContext): string =>
  `arn:${c.partition}:securityhub:${c.region}:${c.securityAccountId}:product/${c.securityAccountId}/default`;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Security Hub's limits: Note.Text 512 characters; ProductFields 50 pairs, keys 128 and values 2,048 characters. */
export const ASFF_NOTE_MAX = 512;
export const ASFF_MAX_PRODUCT_FIELDS = 50;
export const ASFF_PRODUCT_KEY_MAX = 128;
export const ASFF_PRODUCT_VALUE_MAX = 2048;

/** The newest event behind the verdict and the scan window, as ProductFields (absent ones omitted). */
function asffProvenanceFields(f: Finding): Record<string, string> {
  const a = newestActor(f.provenance);
  const w = f.provenance?.window;
  const fields: [string, string | null | undefined][] = [
    ['posture/actor/arn', a?.arn],
    ['posture/actor/event', a?.eventName],
    ['posture/actor/sourceIp', a?.sourceIPAddress],
    ['posture/actor/time', a?.eventTime],
    // An ISO 8601 interval; `..` opens it when the resource was first seen by this scan.
    ['posture/changeWindow', w && `${w.from ?? '..'}/${w.to}`],
  ];
  return Object.fromEntries(fields.filter((e): e is [string, string] => !!e[1]).map(([k, v]) => [k, clip(oneLine(v), ASFF_PRODUCT_VALUE_MAX)]));
}

/** The finding's note: the exception that suppressed it, then the cause of its last change. */
function asffNoteText(f: Finding): string | undefined {
  const parts = [f.suppressedBy ? `Suppressed by exception ${f.suppressedBy}` : '', f.cause ?? ''].filter(Boolean);
  return parts.length ? clip(parts.join('; '), ASFF_NOTE_MAX) : undefined;
}

export interface AsffFinding {
  SchemaVersion: '2018-10-08';
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: string };
  /** Severity and Types as the provider sees them: BatchImportFindings updates these, not the top-level ones. */
  FindingProviderFields: { Severity: { Label: string; Original: string }; Types: string[] };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url?: string } };
  ProductFields: Record<string, string>;
  Resources: { Type: string; Id: string; Partition: string; Region: string }[];
  Compliance: { Status: string; RelatedRequirements?: string[]; StatusReasons?: { ReasonCode: string; Description: string }[] };
  Workflow: { Status: string };
  RecordState: 'ACTIVE' | 'ARCHIVED';
  Note?: { Text: string; UpdatedBy: string; UpdatedAt: string };
}

export function toAsff(f: Finding, c: AsffContext): AsffFinding {
  const title = f.title ?? f.policyId;
  const updated = f.lastVerified && f.lastVerified > f.lastChanged ? f.lastVerified : f.lastChanged;
  const types = ['Software and Configuration Checks/Industry and Regulatory Standards'];
  const desc = f.description ? `${f.description} (${f.status} on ${f.resourceId})` : `${title}: ${f.status} on ${f.resourceId}`;
  const related = requirementNames(f.requirements ?? [])
    .slice(0, ASFF_MAX_REQUIREMENTS)
    .map((r) => clip(r, ASFF_REQUIREMENT_LENGTH));
  const note = asffNoteText(f);
  return {
    SchemaVersion: '2018-10-08',
    Id: `posture/${findingUid(f.policyId, f.resourceId)}`,
    ProductArn: defaultProductArn(c),
    GeneratorId: `posture/${f.policyId}`,
    AwsAccountId: f.accountId,
    Types: types,
    CreatedAt: f.lastChanged,
    UpdatedAt: updated,
    Severity: { Label: ASFF_SEVERITY[f.severity] },
    FindingProviderFields: { Severity: { Label: ASFF_SEVERITY[f.severity], Original: f.severity }, Types: types },
    Title: clip(title, 256),
    Description: clip(desc, 1024),
    Remediation: {
      Recommendation: {
        Text: clip(f.runbook ?? `See policy ${f.policyId}.`, 512),
        ...(f.reference && /^https?:\/\//.test(f.reference) ? { Url: f.reference } : {}),
      },
    },
    ProductFields: {
      'posture/PolicyId': f.policyId,
      'posture/ResourceType': f.resourceType,
      'posture/Trigger': f.trigger,
      ...(f.lastVerified ? { 'posture/LastVerified': f.lastVerified } : {}),
      ...(f.verifiedBy ? { 'posture/VerifiedBy': f.verifiedBy } : {}),
      ...(f.suppressedBy ? { 'posture/SuppressedBy': f.suppressedBy } : {}),
      ...asffProvenanceFields(f),
    },
    Resources: [{ Type: asffResourceType(f.resourceType), Id: f.resourceId, Partition: c.partition, Region: f.region === 'global' ? c.region : f.region }],
    Compliance: {
      Status: ASFF_COMPLIANCE[f.status],
      ...(related.length ? { RelatedRequirements: related } : {}),
      ...(f.status === 'ERROR' && f.errorMessage ? { StatusReasons: [{ ReasonCode: 'CONFIG_EVALUATIONS_EMPTY', Description: clip(f.errorMessage, 2048) }] } : {}),
    },
    // A fix resolves and archives the finding; an exception suppresses it. Security Hub takes
    // Workflow from the first import only; later, ARCHIVED / PASSED make it set RESOLVED itself.
    Workflow: { Status: f.status === 'PASS' ? 'RESOLVED' : f.suppressed ? 'SUPPRESSED' : 'NEW' },
    RecordState: f.status === 'PASS' ? 'ARCHIVED' : 'ACTIVE',
    ...(note ? { Note: { Text: note, UpdatedBy: 'posture', UpdatedAt: updated } } : {}),
  };
}

export const toAsffList = (findings: readonly Finding[], c: AsffContext): AsffFinding[] => findings.map((f) => toAsff(f, c));
