// `npm test`: runs each check of the suite (the package.json scripts below) in order, each one's
// output captured to out/test-logs/<runner>.log — shown (its tail) only when that runner fails, so
// the log is not flooded by the expected failures that tests provoke — and ends with one table of
// counts per runner and a closing `total: N passed, N failed` line. Exit 1 when any runner failed.
// POSTURE_TEST_ONLY=vitest,pytest runs only those runners.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const logs = 'out/test-logs';
mkdirSync(logs, { recursive: true });

const vitestJson = (name) => ['--reporter=default', '--reporter=json', `--outputFile.json=${join(logs, `${name}.json`)}`];
const fromVitest = (name) => () => {
  const file = join(logs, `${name}.json`);
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
};
const count = (text, word) => Number(new RegExp(`(\\d+) ${word}`).exec(text)?.[1] ?? 0);

/** runner name, package.json script, extra arguments, how to read its counts from its output. */
const runners = [
  { name: 'typecheck', script: 'typecheck', counts: (out, code) => ({ failed: code === 0 ? 0 : (out.match(/error TS\d+/g) ?? []).length || 1 }) },
  { name: 'lint', script: 'lint', counts: (out, code) => ({ failed: code === 0 ? 0 : count(out, 'errors?') || 1 }) },
  { name: 'vitest', script: 'test:unit', args: vitestJson('vitest'), counts: fromVitest('vitest') },
  { name: 'deployed', script: 'test:deployed', args: vitestJson('deployed'), counts: fromVitest('deployed') },
  { name: 'pytest', script: 'test:python', counts: (out) => ({ passed: count(out, 'passed'), failed: count(out, 'failed') + count(out, 'errors?'), skipped: count(out, 'skipped') }) },
  { name: 'policies', script: 'test:policies', counts: (out) => {
    const m = /^(\d+) passed, (\d+) failed$/m.exec(out);
    return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
  } },
  { name: 'cfn-lint', script: 'test:templates', counts: (out, code, files) => {
    const bad = new Set(files.filter((f) => out.includes(f)));
    return { passed: files.length - bad.size, failed: code === 0 ? 0 : Math.max(bad.size, 1) };
  } },
];

function run(runner) {
  const log = join(logs, `${runner.name}.log`);
  const file = createWriteStream(log);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', runner.script, ...(runner.args ? ['--', ...runner.args] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (d) => {
      out += d.toString();
      file.write(d);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('close', (code) => file.end(() => resolve({ code: code ?? 1, out, log, seconds: Math.round((Date.now() - started) / 1000) })));
  });
}

const templates = readdirSync('templates/cloudformation').filter((f) => f.endsWith('.yml'));
const only = process.env.POSTURE_TEST_ONLY?.split(',');
const rows = [];
for (const runner of runners.filter((r) => !only || only.includes(r.name))) {
  process.stdout.write(`posture test: ${runner.name} (npm run ${runner.script}) ...\n`);
  const r = await run(runner);
  const c = runner.counts(r.out, r.code, templates) ?? {};
  // A runner that exits non-zero failed, whatever it counted (a file that did not load, a crash).
  const failed = r.code === 0 && c.failed !== undefined ? c.failed : Math.max(c.failed ?? 0, 1);
  const ok = failed === 0;
  if (!ok) {
    const tail = r.out.split('\n').slice(-200).join('\n');
    process.stdout.write(`${tail}\nposture test: ${runner.name} FAILED (exit ${r.code}); its whole output is in ${r.log}\n`);
  }
  rows.push({ runner: runner.name, result: ok ? 'ok' : 'FAILED', passed: c.passed, failed, skipped: c.skipped, seconds: r.seconds });
}

const cell = (v) => (v === undefined ? '-' : String(v));
const table = [['runner', 'result', 'passed', 'failed', 'skipped', 'time'], ...rows.map((r) => [r.runner, r.result, cell(r.passed), cell(r.failed), cell(r.skipped), `${r.seconds}s`])];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) => row.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
const sum = (k) => rows.reduce((n, r) => n + (r[k] ?? 0), 0);
console.log(['', line(table[0]), line(widths.map((w) => '-'.repeat(w))), ...table.slice(1).map(line), ''].join('\n'));
console.log(`total: ${sum('passed')} passed, ${sum('failed')} failed`);
process.exit(rows.every((r) => r.result === 'ok') ? 0 : 1);
