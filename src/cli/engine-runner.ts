/**
 * Running the Python engine's test runner (`posture_engine.spec_tests`, `posture_engine.bundle_cli`)
 * and judging its run. Success is what the runner *says*, not only how it exits: its stdout must end
 * with its own summary line `N passed, N failed` (for a bundle, followed by `wrote FILE: …`), the
 * counts must agree with the report above it, nothing may have failed, and the exit status must
 * be 0. A runner that exits 0 without a summary (a crashed or killed interpreter, empty output) is
 * a failure, never a pass.
 */
import { spawnSync } from 'node:child_process';
import { engineEnv } from '#core/engine-env.ts';
import { join } from 'node:path';
import { projectRoot, pythonExecutable } from '#core/paths.ts';

export const SUMMARY_RE = /^(\d+) passed, (\d+) failed$/;
export const BUNDLE_WROTE_RE = /^wrote (.+): \d+ policies, \d+ globals, content hash [0-9a-f]{64}$/;

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
export function runEngineModule(module: string, args: readonly string[], echo: 'stdout' | 'stderr' | 'none' = 'stdout', opts: { network?: boolean } = {}): EngineRun {
  const r = spawnSync(pythonExecutable(), ['-m', module, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', echo === 'none' ? 'pipe' : 'inherit'],
    // Policies run here: no caller credentials (engine-env.ts); `network` lets pip install a pack's requirements.txt.
    env: engineEnv({ network: opts.network, set: { PYTHONPATH: join(projectRoot, 'python-runtime') } }),
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
 * tests (`[PASS]`/`[FAIL]` rows of the text report, or the JSON document's cases with `--json`).
 */
export function readTestSummary(stdout: string, opts: { json?: boolean; trailer?: RegExp } = {}): SummaryCheck {
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
  let seen: TestCounts;
  if (opts.json) {
    let doc: { passed?: unknown; failed?: unknown; policies?: Record<string, { passed: boolean }[]> } | undefined;
    try {
      doc = JSON.parse(lines[end - 2] ?? '') as typeof doc;
    } catch {
      doc = undefined;
    }
    if (!doc || typeof doc !== 'object' || !doc.policies) return { ok: false, problem: 'its JSON report is missing before the summary line' };
    const cases = Object.values(doc.policies).flat();
    seen = { passed: cases.filter((c) => c.passed).length, failed: cases.filter((c) => !c.passed).length };
    if (doc.passed !== passed || doc.failed !== failed) return { ok: false, problem: `its summary "${lines[end - 1]}" disagrees with its JSON report (${String(doc.passed)} passed, ${String(doc.failed)} failed)` };
  } else {
    const rows = lines.slice(0, end - 1);
    seen = { passed: rows.filter((l) => l.startsWith('  [PASS] ')).length, failed: rows.filter((l) => l.startsWith('  [FAIL] ')).length };
  }
  if (seen.passed !== passed || seen.failed !== failed) {
    return { ok: false, problem: `its summary "${lines[end - 1]}" disagrees with the tests it reported (${seen.passed} passed, ${seen.failed} failed)` };
  }
  return { ok: true, passed, failed };
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
  const summary = readTestSummary(run.stdout, { json: opts.json, trailer: failedStatus ? undefined : opts.trailer });
  if (!summary.ok) return { code: failedStatus && run.status ? run.status : 1, error: `the policy test runner failed (${how(run)}): ${summary.problem}` };
  if (failedStatus) return { code: run.status ?? 1, counts: summary, ...(run.signal ? { error: `the policy test runner was ${how(run)}` } : {}) };
  if (summary.failed > 0) return { code: 1, counts: summary, error: `the policy test runner exited 0 but reported ${summary.failed} failed` };
  return { code: 0, counts: summary };
}
