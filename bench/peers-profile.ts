/**
 * bench:peers' view of where Posture's time goes: the CPU of each process of a running scan (the
 * Node CLI, its embedded store emulator, its policy engine), sampled from /proc, and a summary of a
 * V8 CPU profile (node --cpu-prof) of the CLI process by what the code is (SDK, transpiler, store
 * client, scanner, engine client...). Linux only (/proc), as the bench machine is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { projectRoot } from '../src/core/paths.ts';

const TICKS_PER_S = 100; // USER_HZ on Linux
const round = (n: number, d = 2) => Number(n.toFixed(d));

interface ProcSample {
  ppid: number;
  /** Own CPU seconds (utime + stime). */
  own: number;
  /** CPU seconds of children it has waited for (cutime + cstime). */
  reaped: number;
  cmd: string;
}

function readProc(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICKS_PER_S, reaped: (Number(f[13]) + Number(f[14])) / TICKS_PER_S, cmd };
  } catch {
    return undefined; // exited between the listing and the read
  }
}

export type Role = 'cli_node' | 'store_emulator' | 'policy_engine' | 'other';
const roleOf = (cmd: string): Role => (cmd.includes('moto_server.py') ? 'store_emulator' : cmd.includes('posture_engine') ? 'policy_engine' : /\bnode\b|posture-cli/.test(cmd) ? 'cli_node' : 'other');

/**
 * Samples the CPU of the process tree under `rootPid` (the rusage wrapper) until stop(). Each
 * process of the tool's top level is counted with what it reaped (the engine's per-batch workers
 * are reaped by the engine); processes below them are not counted again.
 */
export function watchTree(rootPid: number, everyMs = 200): { stop(): Record<Role, number> } {
  const last = new Map<number, ProcSample>();
  const sample = () => {
    const all = new Map<number, ProcSample>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const p = readProc(Number(name));
      if (p) all.set(Number(name), p);
    }
    const tool = [...all].filter(([, p]) => p.ppid === rootPid).map(([pid]) => pid);
    // An exited process not yet reaped (a zombie) has no cmdline: it keeps the one seen before.
    const keep = (pid: number, p: ProcSample) => last.set(pid, p.cmd ? p : { ...p, cmd: last.get(pid)?.cmd ?? '' });
    for (const pid of tool) {
      keep(pid, all.get(pid)!);
      for (const [child, p] of all) if (p.ppid === pid) keep(child, p);
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const out: Record<Role, number> = { cli_node: 0, store_emulator: 0, policy_engine: 0, other: 0 };
      for (const p of last.values()) {
        if (p.ppid === rootPid) out[roleOf(p.cmd)] += p.own;
        else out[roleOf(p.cmd)] += p.own + p.reaped;
      }
      // The CLI's own figure must not include the children it reaped (counted above by role).
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, round(v)])) as Record<Role, number>;
    },
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function category(fn: string, url: string): string {
  if (fn === '(idle)') return 'idle (waiting on the emulators, the engine, timers)';
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(program)') return 'v8_native';
  if (/\/node_modules\/(tsx|esbuild|get-tsconfig)\//.test(url)) return 'transpile_and_load (tsx)';
  if (/\/node_modules\/(@aws-sdk|@smithy|@aws-crypto|fast-xml-parser|strnum|uuid|tslib|bowser)\//.test(url)) return 'aws_sdk';
  if (url.includes('/node_modules/')) return 'other_dependencies';
  if (url.includes('/src/store/') || url.includes('/src/compliance/')) return 'store_and_compliance_client';
  if (url.includes('/src/scan/') || url.includes('/src/resources/') || url.includes('/src/aws/')) return 'scanner';
  if (url.includes('/src/local/')) return 'local_runtime (engine client, emulator launcher)';
  if (url.includes('/src/cli/') || url.includes('/bin/')) return 'cli (report, outputs)';
  if (url.includes('/src/')) return 'other_src';
  return 'node_internals';
}

/** Self time of a CPU profile by category and by file (top 12, idle excluded). */
export function summarizeProfile(file: string): { wall_s: number; by_category_s: Record<string, number>; top_files_s: Record<string, number> } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const byCategory = new Map<string, number>();
  const byFile = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const frame = byNode.get(id)!;
    const us = p.timeDeltas[i] ?? 0;
    const cat = category(frame.functionName, frame.url);
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + us);
    if (frame.url && frame.functionName !== '(idle)') {
      const path = frame.url.startsWith('file://') ? relative(projectRoot, new URL(frame.url).pathname) : frame.url;
      const key = path.replace(/^node_modules\/((@[^/]+\/)?[^/]+)\/.*/, 'node_modules/$1');
      byFile.set(key, (byFile.get(key) ?? 0) + us);
    }
  });
  const seconds = (m: Map<string, number>, n: number) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, round(v / 1e6)]));
  return { wall_s: round((p.endTime - p.startTime) / 1e6), by_category_s: seconds(byCategory, 20), top_files_s: seconds(byFile, 12) };
}
