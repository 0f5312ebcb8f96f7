/**
 * bench:peers' three tools: how each is installed, started (`--help`, a scan of an endpoint) and
 * how its output is read back into the compared checks. Prowler and Cloud Custodian run from their
 * own virtualenvs under bench/.peers-venv (their pins conflict: one venv each), made on first use
 * from the pinned requirement files beside this one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/core/paths.ts';
import { REGISTRY } from '../src/resources/index.ts';
import { emptyFlagged, ESTATE_REGIONS, type Check, type Flagged } from './peers-estate.ts';

const BENCH = join(projectRoot, 'bench');
const VENVS = join(BENCH, '.peers-venv');

/** Services all three read; Posture's types are its registry's types of these services. */
export const SERVICES = ['s3', 'ec2', 'vpc', 'iam', 'kms', 'cloudtrail'] as const;
export const POSTURE_TYPES = REGISTRY.map((t) => t.type).filter((t) => /^AWS\.(S3|EC2|IAM|KMS|CloudTrail|PasswordPolicy)\b/.test(t));

export interface Tool {
  name: 'posture' | 'prowler' | 'custodian';
  help: string[];
  scan(outDir: string): string[];
  /** What it flagged for each compared check, as estate IDs (IAM policies by ARN, the rest by ID or name). */
  flagged(outDir: string): Flagged;
}

/** arn:aws:s3:::name → name; arn:…:type/id → id; an IAM policy keeps its ARN (names are not unique across paths). */
export function estateId(idOrArn: string): string {
  if (idOrArn.startsWith('arn:') && idOrArn.includes(':iam::')) return idOrArn;
  if (idOrArn.startsWith('arn:aws:s3:::')) return idOrArn.slice('arn:aws:s3:::'.length);
  return idOrArn.split('/').pop()!;
}

const POSTURE_CHECKS: Record<string, Check> = {
  'AWS.EC2.SecurityGroup.SSHOpenToWorld': 'sg_ssh_open',
  'AWS.KMS.Key.RotationEnabled': 'kms_rotation_off',
  'AWS.EC2.VPC.FlowLogs': 'vpc_no_flow_logs',
  'AWS.CloudTrail.LogFileValidation': 'trail_no_log_validation',
  'AWS.IAM.Policy.FullAdminAttached': 'iam_admin_policy_attached',
  'AWS.S3.Bucket.PublicAccessBlock': 's3_no_public_access_block',
};
const PROWLER_CHECKS: Record<string, Check> = {
  ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22: 'sg_ssh_open',
  kms_cmk_rotation_enabled: 'kms_rotation_off',
  vpc_flow_logs_enabled: 'vpc_no_flow_logs',
  cloudtrail_log_file_validation_enabled: 'trail_no_log_validation',
  iam_customer_attached_policy_no_administrative_privileges: 'iam_admin_policy_attached',
  s3_bucket_level_public_access_block: 's3_no_public_access_block',
};
/** Custodian's policies are named after the checks (custodian-policies.yml); the field that identifies each resource. */
const CUSTODIAN_ID: Record<Check, string> = {
  sg_ssh_open: 'GroupId',
  kms_rotation_off: 'KeyId',
  vpc_no_flow_logs: 'VpcId',
  trail_no_log_validation: 'Name',
  iam_admin_policy_attached: 'Arn',
  s3_no_public_access_block: 'Name',
};

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** The CLI as installed: package.json's bin, the build `npm ci` (prepare) or `npm run build` writes. */
const POSTURE_BIN = join(projectRoot, 'dist/posture.mjs');

export const posture: Tool = {
  name: 'posture',
  help: [process.execPath, POSTURE_BIN, '--help'],
  scan: (out) => [process.execPath, POSTURE_BIN, 'scan', '--regions', ESTATE_REGIONS.join(','), '--types', POSTURE_TYPES.join(','), '--out', out, '--allow-incomplete'],
  flagged(out) {
    const flagged = emptyFlagged();
    for (const f of readJson<{ policyId: string; resourceId: string; status: string }[]>(join(out, 'findings.json'))) {
      const check = POSTURE_CHECKS[f.policyId];
      if (check && f.status === 'FAIL') flagged[check].add(estateId(f.resourceId));
    }
    return flagged;
  },
};

const venvBin = (venv: string, bin: string) => join(VENVS, venv, 'bin', bin);

export const prowler: Tool = {
  name: 'prowler',
  help: [venvBin('prowler', 'prowler'), '--help'],
  // Retries off and unused services scanned (the fair configuration); every status written, as by default.
  scan: (out) => [venvBin('prowler', 'prowler'), 'aws', '--services', ...SERVICES, '--region', ...ESTATE_REGIONS, '--scan-unused-services', '--aws-retries-max-attempts', '0', '-M', 'json-ocsf', '-o', out, '-F', 'peers', '--no-banner', '--ignore-exit-code-3'],
  flagged(out) {
    const flagged = emptyFlagged();
    for (const f of readJson<{ status_code: string; metadata: { event_code: string }; resources: { uid: string }[] }[]>(join(out, 'peers.ocsf.json'))) {
      const check = PROWLER_CHECKS[f.metadata.event_code];
      if (check && f.status_code === 'FAIL') for (const r of f.resources) flagged[check].add(estateId(r.uid));
    }
    return flagged;
  },
};

export const custodian: Tool = {
  name: 'custodian',
  help: [venvBin('custodian', 'custodian'), '--help'],
  scan: (out) => [venvBin('custodian', 'custodian'), 'run', '-s', out, ...ESTATE_REGIONS.flatMap((r) => ['-r', r]), '--cache-period', '0', join(BENCH, 'custodian-policies.yml')],
  flagged(out) {
    const flagged = emptyFlagged();
    // With several regions Custodian writes <out>/<region>/<policy>/resources.json.
    for (const region of readdirSync(out).filter((d) => statSync(join(out, d)).isDirectory())) {
      for (const check of Object.keys(CUSTODIAN_ID) as Check[]) {
        const file = join(out, region, check, 'resources.json');
        if (!existsSync(file)) continue;
        for (const r of readJson<Record<string, string>[]>(file)) flagged[check].add(estateId(r[CUSTODIAN_ID[check]]!));
      }
    }
    return flagged;
  },
};

export const TOOLS: readonly Tool[] = [posture, prowler, custodian];

/** The version a requirements file pins for a package (e.g. prowler==5.46.0). */
export function pinnedVersion(venv: 'prowler' | 'custodian', pkg: string): string {
  const line = readFileSync(join(BENCH, `peers-requirements-${venv}.txt`), 'utf8').split('\n').find((l) => l.startsWith(`${pkg}==`));
  return line?.split('==')[1]?.trim() ?? 'unpinned';
}

/** Makes the peers' virtualenvs on first use (CPython ≥ 3.10; PEERS_PYTHON to choose), from the pinned requirements. */
export function ensurePeerVenvs(log: (msg: string) => void): void {
  const python = process.env.PEERS_PYTHON ?? 'python3';
  for (const [venv, bin] of [['prowler', 'prowler'], ['custodian', 'custodian']] as const) {
    if (existsSync(venvBin(venv, bin))) continue;
    const requirements = join(BENCH, `peers-requirements-${venv}.txt`);
    log(`first use: creating bench/.peers-venv/${venv} from ${requirements} (a few minutes)`);
    for (const argv of [[python, '-m', 'venv', join(VENVS, venv)], [venvBin(venv, 'pip'), 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]]) {
      const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
      if (r.status !== 0) throw new Error(`bench:peers: '${argv.join(' ')}' failed (exit ${r.status ?? r.signal}): see the lines above`);
    }
  }
}
