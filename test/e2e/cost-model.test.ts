/**
 * `posture cost --model` through the real binary: the organization-scale model of docs/scale.md,
 * counted from the registry it ships with, as text and JSON; a profile file over the measured
 * usage; and each bad flag a one-line error with exit code 2.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../src/resources/index.ts';
import type { ScaleModel } from '../../src/scan/scale-model.ts';
import { runPosture } from '../helpers/cli.ts';

const posture = (...args: string[]) => runPosture(args, { ...process.env, AWS_REGION: 'us-east-1' });
const regional = REGISTRY.filter((t) => t.scope === 'regional').length;
const global = REGISTRY.length - regional;

describe('posture cost --model', () => {
  it('models 1,000 accounts × 17 regions from the registry, without a target', async () => {
    const r = await posture('cost', '--model', '--accounts', '1000', '--regions', '17');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const scopes = 1000 * (regional * 17 + global);
    expect(r.stdout).toContain(`1,000 accounts × 17 regions, ${REGISTRY.length} resource types (${regional} regional, ${global} global)`);
    expect(r.stdout).toContain(`scopes             ${scopes.toLocaleString('en-US')}`);
    expect(r.stdout).toMatch(/Per-scope usage: bench:scan's run of /);
    expect(r.stdout).toMatch(/DynamoDB writes {4}first day [\d,]+ items; steady day [\d,]+/);
    expect(r.stdout).toMatch(/^ {2}ec2 +[\d,]+ calls\/day .* limit 20\/s/m);
    expect(r.stdout).toMatch(/^ {2}per day +\$[\d,]+\.\d\d$/m);
    expect(r.stdout).toMatch(/Prices assumed/);
  });

  it('prints JSON, with a profile file and --resources-per-scope over the measured usage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'posture-scale-'));
    const file = join(dir, 'profile.json');
    await writeFile(file, JSON.stringify({ changedShare: 0.5, writeItemsPerChangedResource: 2 }));
    const r = await posture('cost', '--model', '--accounts', '10', '--regions', '2', '--resources-per-scope', '3', '--usage-profile', file, '--format', 'json');
    expect(r.stderr).toBe('');
    const m = JSON.parse(r.stdout) as ScaleModel;
    expect(m.scopes).toBe(10 * (regional * 2 + global));
    expect(m.resources).toBe(m.scopes * 3);
    expect(m.dynamodb.steadyDayWriteItems).toBeCloseTo(m.resources * 0.5 * 2 + m.scopes);
    expect(m.profileSource).toMatch(/; (writeItemsPerChangedResource, changedShare|changedShare, writeItemsPerChangedResource) from /);
    expect(m.profileSource).toContain(`from ${file}`);
    expect(m.profileSource).toContain('3 resources a scope (--resources-per-scope)');
  });

  it.each([
    [['--model', '--accounts', 'abc'], /^posture cost: --accounts: 'abc' is not a whole number of at least 1$/],
    [['--model', '--regions', '0'], /^posture cost: --regions: '0' is not a whole number of at least 1$/],
    [['--model', '--resources-per-scope', '-2'], /^posture cost: --resources-per-scope: '-2' is not a number of at least 0$/],
    [['--model', '--usage-profile', '/nonexistent/p.json'], /^posture cost: --usage-profile \/nonexistent\/p\.json: ENOENT/],
    [['--model', '--scan-id', 'x'], /^posture cost: --scan-id needs --stack NAME or --endpoint URL/],
    [['--accounts', '5'], /^posture cost: --accounts is for --model \(posture cost --model --accounts \.\.\.\)$/],
  ])('posture cost %j is a one-line error', async (args, said) => {
    const r = await posture('cost', ...args);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(said);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('a profile file with a wrong field names it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'posture-scale-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ changedShare: 3 }));
    const r = await posture('cost', '--model', '--usage-profile', file);
    expect(r.stderr.trim()).toMatch(new RegExp(`^posture cost: --usage-profile ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: changedShare: .+$`));
    expect(r.code).toBe(2);
  });
});
