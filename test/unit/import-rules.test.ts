/**
 * The layer rules of docs/architecture.md, as eslint.config.js enforces them: each forbidden edge
 * is linted as it would be in its folder and must be refused, and each allowed edge accepted.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/core/paths.ts';

const eslint = new ESLint({ cwd: projectRoot });

async function refusals(file: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import type { X } from '${from}';\nexport type Y = X;\n`, { filePath: `${projectRoot}/${file}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import rules (docs/architecture.md)', () => {
  it.each([
    ['src/core/x.ts', '#resources/types.ts'],
    ['src/core/x.ts', '../scan/deps.ts'],
    ['src/resources/x.ts', '#store/resource-store.ts'],
    ['src/compliance/x.ts', '#store/compliance-store.ts'],
    ['src/compliance/x.ts', '#aws/clients.ts'],
    ['src/store/x.ts', '#scan/ingest.ts'],
    ['src/store/x.ts', '#onboarding/onboarding.ts'],
    ['src/scan/x.ts', '#local/emulator.ts'],
    ['src/events/x.ts', '#cli/scan.ts'],
    ['src/aws/x.ts', '#local/runtime.ts'],
    ['lib/constructs/x.ts', '#local/bootstrap.ts'],
    ['lambdas/x.ts', '#cli/target.ts'],
    ['lambdas/x.ts', '../src/local/emulator.ts'],
    ['src/local/x.ts', '#cli/report/report-html.ts'],
  ])('%s may not import %s', async (file, from) => {
    expect(await refusals(file, from)).toEqual([expect.stringContaining('docs/architecture.md')]);
  });

  it.each([
    ['src/resources/x.ts', '#core/resource.ts'],
    ['src/compliance/x.ts', '#core/ledger.ts'],
    ['src/store/x.ts', '#compliance/model.ts'],
    ['src/store/x.ts', '#accounts/account.ts'],
    ['src/store/x.ts', '#alerts/destination-config.ts'],
    ['src/scan/x.ts', '#store/resource-store.ts'],
    ['src/cli/x.ts', '#local/runtime.ts'],
    ['src/local/x.ts', '#scan/scan-scope.ts'],
  ])('%s may import %s', async (file, from) => {
    expect(await refusals(file, from)).toEqual([]);
  });
});
