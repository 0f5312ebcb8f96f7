/**
 * The one full synth: real esbuild bundles of the Node functions, the real policy layer
 * build, and cdk-nag's AwsSolutions pack, which fails synthesis on any unacknowledged error.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';
import { REASONS } from '../../lib/nag.ts';
import { TEST_CONTEXT } from './helpers.ts';

const outdir = mkdtempSync(join(tmpdir(), 'posture-cdk-'));
let built: ReturnType<typeof buildApp>;
let assembly: CloudAssembly;

beforeAll(() => {
  // A second assumable role name: each of its grants' wildcard resources is acknowledged too.
  built = buildApp({ outdir, context: { ...TEST_CONTEXT, additionalAuditRoleNames: 'PostureTestTeamAudit' } });
  assembly = built.app.synth(); // throws with the nag report on any unacknowledged error
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

function acknowledgements(): Acknowledgement[] {
  return built.app.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason })),
      ),
  );
}

describe('full synth with bundling and cdk-nag AwsSolutions', () => {
  it('leaves no unacknowledged AwsSolutions finding, warnings included', () => {
    const report = new AwsSolutionsChecks().validateScope(built.app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a real reason', () => {
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(10);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.trim().length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(20);
      expect(ack.reason, `${ack.path} ${ack.id}`).not.toMatch(/\b(todo|tbd|fixme)\b/i);
    }
    // Reasons come from the reviewed list in lib/nag.ts.
    const known = Object.values(REASONS) as string[];
    for (const ack of acks) {
      const parts = known.filter((r) => ack.reason.includes(r));
      expect(parts.length, `${ack.path} ${ack.id}: ${ack.reason}`).toBeGreaterThan(0);
    }
  });

  it('acknowledges only findings that exist (no stale acknowledgements)', () => {
    // The same pack, blind to acknowledgements: every finding the app would have.
    const blind = new AwsSolutionsChecks();
    Object.assign(blind, { isAcknowledged: () => false });
    const findings = blind.validateScope(built.app).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
    const stale = acknowledgements().filter((ack) => !findings.some((f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))));
    expect(stale).toEqual([]);
  });

  it('bundles every Node function as one ESM file and builds the policy layer', () => {
    const stack = assembly.getStackByName(built.stack.stackName);
    type Props = { Code?: { S3Key?: string }; Content?: { S3Key?: string } };
    const template = stack.template as { Resources: Record<string, { Properties: Props }> };
    // A staged asset lives in <assembly>/asset.<hash>; the template names it <hash>.zip.
    const assetDir = (logicalId: string) => {
      const p = template.Resources[logicalId]!.Properties;
      const key = p.Code?.S3Key ?? p.Content?.S3Key;
      if (!key) throw new Error(`${logicalId}: no asset S3Key`);
      return join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
    };
    const logicalId = (c: { node: { defaultChild?: unknown } }) =>
      built.stack.getLogicalId(c.node.defaultChild as Parameters<typeof built.stack.getLogicalId>[0]);

    const s = built.stack;
    for (const fn of [s.scan.planScan, s.scan.scanScope, s.scan.recordBatchFailure, s.realtime.rescan, s.alerts.dispatch, s.console!.apiFunction]) {
      const dir = assetDir(logicalId(fn));
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire as __posture_createRequire } from 'node:module';")).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
    }
    const layer = assetDir(logicalId(s.engine.layer));
    expect(existsSync(join(layer, 'python/posture_engine/lambda_handler.py'))).toBe(true);
    // The layer's bundle is the one bundle format: the zip `posture bundle` writes (manifest first).
    const bundle = readFileSync(join(layer, 'posture/bundle.zip'));
    expect(bundle.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect(bundle.includes(Buffer.from('manifest.json'))).toBe(true);
    expect(existsSync(join(assetDir(logicalId(s.engine.function)), 'index.py'))).toBe(true);
  });
});

describe('cdk-nag wiring', () => {
  it('fails synthesis on an unacknowledged finding', async () => {
    const { Queue, QueueEncryption } = await import('aws-cdk-lib/aws-sqs');
    const { app, stack } = buildApp({ outdir: mkdtempSync(join(tmpdir(), 'posture-cdk-')), context: { 'aws:cdk:bundling-stacks': [] } });
    new Queue(stack, 'Unprotected', { encryption: QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });
});
