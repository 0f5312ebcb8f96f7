/**
 * Running the Python engine's test runner (`posture_engine.spec_tests`, `posture_engine.bundle_cli`)
 * and judging its run. Success is what the runner *says*, not only how it exits: its stdout must end
 * with its own summary line `N passed, N failed` (for a bundle, followed by `wrote FILE: …`), the
 * counts must agree with the report above it, nothing may have failed, and the exit status must
 * be 0. With `--json` stdout is exactly one JSON document (TestReport) whose counts must agree with
 * its cases; the summary line then goes to stderr. A runner that exits 0 without a summary (a
 * crashed or killed interpreter, empty output) is a failure, never a pass.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { z } from 'zod';
import { engineEnv } from '#core/engine-env.ts';
import { projectRoot, pythonExecutable } from '#core/paths.ts';
import { resourceTypeNames } from '#resources/index.ts';
import { unscannedPantherTypes } from '#resources/panther-types.ts';

export const SUMMARY_RE = /^(\d+) passed, (\d+) failed$/;
export const BUNDLE_WROTE_RE = /^wrote (.+): \d+ policies, \d+ globals, content hash [0-9a-f]{64}$/;

/** The engine's type arguments: the types scanned, and the Panther-documented ones that are not
 *  (still valid in a spec: panther-types.ts). */
export function engineTypeArgs(): string[] {
  return ['--resource-types', resourceTypeNames().join(','), '--known-types', unscannedPantherTypes().join(',')];
}

/** One test case as the runner reports it. */
export const TestCaseSchema = z.object({ policy_id: z.string(), name: z.string(), expected: z.boolean(), passed: z.boolean(), status: z.string(), title: z.string().nullable(), problems: z.array(z.string()) });

/** `spec_tests --json`: the one document on stdout. Counts are tests (`passed`, `failed`), invalid
 *  spec files (`invalid`) and, as PAT's Test Summary counts them, policies. */
export const TestReportSchema = z.object({
  path: z.array(z.string()),
  passed: z.number().int(),
  failed: z.number().int(),
  invalid: z.number().int(),
  policiesPassed: z.number().int(),
  policiesFailed: z.number().int(),
  policiesSkipped: z.number().int(),
  policies: z.record(z.string(), z.array(TestCaseSchema)),
  failedPolicies: z.array(z.string()),
  invalidSpecs: z.array(z.object({ file: z.string(), problems: z.array(z.string()) })),
  errors: z.array(z.string()),
  tooFewTests: z.array(z.string()),
});
export type TestReport = z.infer<typeof TestReportSchema>;

/** The runner's JSON document, or why it is not one. */
export function parseTestReport(stdout: string): { ok: true; report: TestReport } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    return { ok: false, problem: `its output is not one JSON document (${quote(lastLines(stdout).pop())})` };
  }
  const parsed = TestReportSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problem: `its JSON report does not have the expected shape (${parsed.error.issues[0]?.path.join('.') || 'document'}: ${parsed.error.issues[0]?.message ?? 'invalid'})` };
  return { ok: true, report: parsed.data };
}

export interface EngineRun {
  /** Exit status; null when killed by a signal. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** What it wrote on stderr, when captured (else on our stderr already). */
  stderr: string;
  /** Set when the interpreter could not be started at all. */
  error?: Error;
}

/**
 * Runs `python -m <module> <args>` with python-runtime on the path. Its stdout is captured (the
 * report is printed once the tests ran, so nothing is lost by holding it) and copied to `echo`;
 * stderr (installs, what policies print) goes straight to ours, or is captured with echo `none`.
 */
export function runEngineModule(module: string, args: readonly string[], echo: 'stdout' | 'stderr' | 'none' = 'stdout', opts: { network?: boolean; env?: Record<string, string> } = {}): EngineRun {
  const r = spawnSync(pythonExecutable(), ['-m', module, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', echo === 'none' ? 'pipe' : 'inherit'],
    // Policies run here: no caller credentials (engine-env.ts); `network` lets pip install a pack's requirements.txt.
    env: engineEnv({ network: opts.network, set: { ...opts.env, PYTHONPATH: join(projectRoot, 'python-runtime') } }),
    maxBuffer: 256 * 1024 * 1024,
  });
  const stdout = r.stdout ?? '';
  if (echo !== 'none' && stdout) (echo === 'stdout' ? process.stdout : process.stderr).write(stdout);
  return { status: r.status, signal: r.signal, stdout, stderr: r.stderr ?? '', error: r.error };
}

export interface TestCounts {
  passed: number;
  failed: number;
}

export type SummaryCheck = ({ ok: true } & TestCounts) | { ok: false; problem: string };

const lastLines = (text: string): string[] => {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
};

const quote = (line: string | undefined): string => (line === undefined ? 'no output' : `last line: ${JSON.stringify(line.length > 120 ? `${line.slice(0, 117)}...` : line)}`);

/**
 * The runner's own summary, read back and cross-checked: `N passed, N failed` as the last line
 * (or just before `trailer`), and the report above it holding exactly that many passed and failed
 * tests (`[PASS]`/`[FAIL]` rows of the text report). With `--json`, stdout is the JSON document:
 * its counts must match its cases, and the summary line on `stderr` (when captured) must match them.
 */
export function readTestSummary(stdout: string, opts: { json?: boolean; trailer?: RegExp; stderr?: string } = {}): SummaryCheck {
  if (opts.json) return readJsonSummary(stdout, opts.stderr);
  const lines = lastLines(stdout);
  let end = lines.length;
  if (opts.trailer) {
    if (!end || !opts.trailer.test(lines[end - 1]!)) return { ok: false, problem: `it did not report the bundle it wrote (${quote(lines[end - 1])})` };
    end--;
  }
  const m = end ? SUMMARY_RE.exec(lines[end - 1]!) : null;
  if (!m) return { ok: false, problem: `it ended without its summary line "N passed, N failed" (${quote(lines[end - 1])})` };
  const passed = Number(m[1]);
  const failed = Number(m[2]);
  const rows = lines.slice(0, end - 1);
  const seen = { passed: rows.filter((l) => l.startsWith('  [PASS] ')).length, failed: rows.filter((l) => l.startsWith('  [FAIL] ')).length };
  if (seen.passed !== passed || seen.failed !== failed) {
    return { ok: false, problem: `its summary "${lines[end - 1]}" disagrees with the tests it reported (${seen.passed} passed, ${seen.failed} failed)` };
  }
  return { ok: true, passed, failed };
}

function readJsonSummary(stdout: string, stderr: string | undefined): SummaryCheck {
  if (!stdout.trim()) return { ok: false, problem: 'it ended without its JSON report (no output)' };
  const parsed = parseTestReport(stdout);
  if (!parsed.ok) return parsed;
  const { report } = parsed;
  const cases = Object.values(report.policies).flat();
  const seen = { passed: cases.filter((c) => c.passed).length, failed: cases.filter((c) => !c.passed).length };
  if (seen.passed !== report.passed || seen.failed !== report.failed) {
    return { ok: false, problem: `its JSON counts (${report.passed} passed, ${report.failed} failed) disagree with the tests it reported (${seen.passed} passed, ${seen.failed} failed)` };
  }
  if (stderr !== undefined) {
    const last = lastLines(stderr).pop();
    if (!last || !SUMMARY_RE.test(last)) return { ok: false, problem: `it ended without its summary line "N passed, N failed" on stderr (${quote(last)})` };
    if (last !== `${report.passed} passed, ${report.failed} failed`) return { ok: false, problem: `its summary "${last}" disagrees with its JSON report (${report.passed} passed, ${report.failed} failed)` };
  }
  return { ok: true, passed: report.passed, failed: report.failed };
}

export interface TestVerdict {
  /** 0 only for a run that passed by its own account; otherwise the runner's status, or 1. */
  code: number;
  /** One line for the user when the run's outcome had to be decided here (no summary, bad counts…). */
  error?: string;
  counts?: TestCounts;
}

const how = (run: EngineRun): string => (run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`);

/** Judges a run of the test runner (or the bundler, with `trailer`). */
export function judgeTestRun(run: EngineRun, opts: { json?: boolean; trailer?: RegExp } = {}): TestVerdict {
  if (run.error) return { code: 2, error: `cannot run the policy engine (${run.error.message}); run npm ci to create .venv` };
  const failedStatus = run.status === null || run.status !== 0;
  // A failing run need not carry the bundle trailer (the zip is not written); the summary it must.
  // stderr is read only when it was captured (echo 'none'); otherwise the user saw it already.
  const summary = readTestSummary(run.stdout, { json: opts.json, trailer: failedStatus ? undefined : opts.trailer, stderr: run.stderr || undefined });
  if (!summary.ok) return { code: failedStatus && run.status ? run.status : 1, error: `the policy test runner failed (${how(run)}): ${summary.problem}` };
  if (failedStatus) return { code: run.status ?? 1, counts: summary, ...(run.signal ? { error: `the policy test runner was ${how(run)}` } : {}) };
  if (summary.failed > 0) return { code: 1, counts: summary, error: `the policy test runner exited 0 but reported ${summary.failed} failed` };
  return { code: 0, counts: summary };
}
