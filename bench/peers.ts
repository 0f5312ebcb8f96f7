/**
 * bench:peers — Posture, Prowler and Cloud Custodian on one moto estate (issue #15 item 1).
 * Seeds one account with ≥ 1,000 resources in two regions and a known set of misconfigurations
 * (peers-estate.ts), then runs each tool through a counting proxy (peers-proxy.ts): `--help`, a
 * scan of an empty emulator (start-up), and a scan of the estate. Measures wall time, the CPU of
 * each tool's whole process tree (peers-rusage.py), the requests moto served it and the time moto
 * spent serving them; checks that all three flag exactly the seeded misconfigurations; profiles
 * Posture (peers-profile.ts). Last line: one JSON object, also written to bench/results/peers.json.
 * Not part of `npm test`: Prowler and Custodian are installed from PyPI on first use.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot, pythonExecutable } from '../src/core/paths.ts';
import { startEmulator, type Emulator } from '../src/local/emulator.ts';
import { CHECKS, compareFlagged, ESTATE_REGIONS, seedEstate, type Flagged } from './peers-estate.ts';
import { summarizeProfile, watchTree, type Role } from './peers-profile.ts';
import { startCountingProxy, type CountingProxy, type ProxyStats } from './peers-proxy.ts';
import { ensurePeerVenvs, pinnedVersion, posture, SERVICES, TOOLS, type Tool } from './peers-tools.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const log = (msg: string) => process.stderr.write(`bench:peers ${msg}\n`);
const round = (n: number, d = 2) => Number(n.toFixed(d));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const HELP_RUNS = 3;

interface Run {
  wall_s: number;
  cpu_s: number;
  max_rss_mb: number;
  exit_code: number;
}

/** The emulator's own CPU seconds so far (moto_server.py listening on the endpoint's port). */
function emulatorCpu(endpoint: string): () => number {
  const port = new URL(endpoint).port;
  const pid = readdirSync('/proc').find((p) => {
    if (!/^\d+$/.test(p)) return false;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      return cmd.some((a) => a.endsWith('moto_server.py')) && cmd[cmd.indexOf('-p') + 1] === port;
    } catch {
      return false;
    }
  });
  if (!pid) throw new Error(`bench:peers: no moto_server.py process listening on port ${port}`);
  return () => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
}

/** Runs argv under peers-rusage.py against `endpoint`, output to logs in `dir`. */
async function run(argv: string[], endpoint: string, dir: string, name: string, onStart?: (pid: number) => void): Promise<Run> {
  await mkdir(dir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  const child = spawn(pythonExecutable(), [join(import.meta.dirname, 'peers-rusage.py'), ...argv], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  onStart?.(child.pid!);
  child.stdout.pipe(createWriteStream(join(dir, `${name}.stdout.log`)));
  child.stderr.pipe(createWriteStream(join(dir, `${name}.stderr.log`)));
  await new Promise<void>((res, rej) => {
    child.once('error', rej);
    child.once('close', () => res());
  });
  const stderr = await readFile(join(dir, `${name}.stderr.log`), 'utf8');
  const line = stderr.split('\n').findLast((l) => l.startsWith('PEERS_RUSAGE '));
  if (!line) throw new Error(`bench:peers: ${name}: no figures from peers-rusage.py (see ${dir}/${name}.stderr.log)`);
  const r = JSON.parse(line.slice('PEERS_RUSAGE '.length)) as { wall_s: number; user_s: number; sys_s: number; max_rss_mb: number; exit_code: number };
  if (r.exit_code !== 0) throw new Error(`bench:peers: ${name} exited ${r.exit_code}: ${stderr.trim().split('\n').slice(-3).join(' | ')} (logs in ${dir})`);
  return { wall_s: round(r.wall_s), cpu_s: round(r.user_s + r.sys_s), max_rss_mb: round(r.max_rss_mb, 1), exit_code: r.exit_code };
}

interface ToolFigures {
  help_s: number;
  empty_scan_s: number;
  empty_scan_cpu_s: number;
  wall_s: number;
  cpu_s: number;
  cpu_ms_per_resource: number;
  max_rss_mb: number;
  api_requests: number;
  api_errors: number;
  requests_by_service: Record<string, number>;
  emulator_busy_s: number;
  emulator_cpu_s: number;
}

async function measure(tool: Tool, dirs: { work: string }, estate: { proxy: CountingProxy; cpu: () => number; resources: number }, empty: CountingProxy): Promise<{ figures: ToolFigures; flagged: Flagged; processes?: Record<Role, number> }> {
  const work = join(dirs.work, tool.name);
  const help: number[] = [];
  for (let i = 0; i < HELP_RUNS; i++) help.push((await run(tool.help, empty.endpoint, work, `help-${i}`)).wall_s);
  empty.take();
  const emptyRun = await run(tool.scan(join(work, 'empty-out')), empty.endpoint, work, 'empty-scan');
  log(`${tool.name}: --help ${median(help)} s, empty scan ${emptyRun.wall_s} s`);
  estate.proxy.take();
  const cpuBefore = estate.cpu();
  let watcher: ReturnType<typeof watchTree> | undefined;
  const full = await run(tool.scan(join(work, 'out')), estate.proxy.endpoint, work, 'scan', (pid) => {
    if (tool === posture) watcher = watchTree(pid);
  });
  const processes = watcher?.stop();
  const served: ProxyStats = estate.proxy.take();
  const emulatorCpuS = round(estate.cpu() - cpuBefore);
  log(`${tool.name}: scan ${full.wall_s} s wall, ${full.cpu_s} s CPU, ${served.requests} requests (${served.errors} errors), emulator busy ${served.busySeconds} s`);
  return {
    figures: {
      help_s: median(help),
      empty_scan_s: emptyRun.wall_s,
      empty_scan_cpu_s: emptyRun.cpu_s,
      wall_s: full.wall_s,
      cpu_s: full.cpu_s,
      cpu_ms_per_resource: round(((full.cpu_s - emptyRun.cpu_s) / estate.resources) * 1000, 1),
      max_rss_mb: full.max_rss_mb,
      api_requests: served.requests,
      api_errors: served.errors,
      requests_by_service: served.byService,
      emulator_busy_s: served.busySeconds,
      emulator_cpu_s: emulatorCpuS,
    },
    flagged: tool.flagged(join(work, 'out')),
    processes,
  };
}

/** A second Posture scan under node --cpu-prof (not timed: the profiler slows it). */
async function profilePosture(endpoint: string, work: string) {
  const dir = join(work, 'cpu-prof');
  const [node, ...args] = posture.scan(join(work, 'profile-out'));
  await run([node!, '--cpu-prof', '--cpu-prof-dir', dir, ...args], endpoint, work, 'profile');
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  // The main thread's profile is the longest; tsx's loader thread (transpiling) may write its own.
  const summaries = files.map((f) => summarizeProfile(join(dir, f))).sort((a, b) => b.wall_s - a.wall_s);
  return { main_thread: summaries[0], other_threads: summaries.slice(1).map((s) => ({ wall_s: s.wall_s, by_category_s: s.by_category_s })) };
}

ensurePeerVenvs(log);
// Posture runs as installed: the build (rebuilt here, so the figures are of the current sources).
execFileSync(process.execPath, [join(projectRoot, 'scripts/build.mjs')], { stdio: 'inherit' });
// The figures are only comparable on a quiet machine: its load is reported with them.
const loadAtStart = loadavg()[0]!;
const work = await mkdtemp(join(tmpdir(), 'bench-peers-'));
const emulators: Emulator[] = [];
const proxies: CountingProxy[] = [];
try {
  const [estateEm, emptyEm] = await Promise.all([startEmulator(), startEmulator()]);
  emulators.push(estateEm!, emptyEm!);
  const seedStart = Date.now();
  const estate = await seedEstate(estateEm!.endpoint);
  log(`seeded ${estate.resources} resources (${ESTATE_REGIONS.join(', ')}) in ${((Date.now() - seedStart) / 1000).toFixed(1)} s: ${CHECKS.map((c) => `${c} ${estate.expected[c].size}`).join(', ')}`);
  const [estateProxy, emptyProxy] = await Promise.all([startCountingProxy(estateEm!.endpoint), startCountingProxy(emptyEm!.endpoint)]);
  proxies.push(estateProxy, emptyProxy);
  const cpu = emulatorCpu(estateEm!.endpoint);

  const figures: Record<string, ToolFigures> = {};
  const flagged: Record<string, Flagged> = {};
  let processes: Record<Role, number> | undefined;
  for (const tool of TOOLS) {
    const m = await measure(tool, { work }, { proxy: estateProxy, cpu, resources: estate.resources }, emptyProxy);
    figures[tool.name] = m.figures;
    flagged[tool.name] = m.flagged;
    processes ??= m.processes;
  }
  const agreement = compareFlagged(estate.expected, flagged);
  for (const d of agreement.disagreements) log(`DISAGREEMENT ${d.tool} ${d.check}: missing [${d.missing.join(', ')}] extra [${d.extra.join(', ')}]`);
  log('profiling posture scan (node --cpu-prof)');
  const cpuProfile = await profilePosture(estateProxy.endpoint, join(work, 'posture'));

  const p = figures.posture!;
  const target = (value: number, limit: number, op: '<=' | '<') => ({ value: round(value, 3), target: `${op} ${limit}`, met: op === '<=' ? value <= limit : value < limit });
  const result = {
    estate: { resources: estate.resources, regions: ESTATE_REGIONS, services: SERVICES, seeded_misconfigurations: Object.fromEntries(CHECKS.map((c) => [c, estate.expected[c].size])) },
    tools: figures,
    agreement,
    targets: {
      wall_vs_prowler: target(p.wall_s / figures.prowler!.wall_s, 0.2, '<='),
      wall_vs_custodian: target(p.wall_s / figures.custodian!.wall_s, 0.5, '<='),
      wall_vs_emulator_serving_posture: target(p.wall_s / Math.max(p.emulator_busy_s, 0.01), 1.5, '<='),
      cpu_per_resource_vs_custodian: target(p.cpu_ms_per_resource / figures.custodian!.cpu_ms_per_resource, 1, '<='),
      empty_scan_s: target(p.empty_scan_s, 1, '<'),
      help_s: target(p.help_s, 0.3, '<'),
    },
    posture_profile: { processes_cpu_s: processes, cpu_profile: cpuProfile },
    machine: { cores: cpus().length, load_1m_at_start: round(loadAtStart), load_1m_at_end: round(loadavg()[0]!) },
    versions: { node: process.version, prowler: pinnedVersion('prowler', 'prowler'), custodian: pinnedVersion('custodian', 'c7n') },
  };
  await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
  await writeFile(join(import.meta.dirname, 'results', 'peers.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result));
  if (!agreement.all_agree) process.exitCode = 1;
} finally {
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all(emulators.map((e) => e.stop()));
  if (process.env.PEERS_KEEP !== '1') await rm(work, { recursive: true, force: true });
  else log(`outputs kept in ${work}`);
}
