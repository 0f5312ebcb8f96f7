/**
 * Progress of `posture scan`: one bar for the whole scan (scopes done of planned, with the current
 * account, region and type, and counts of resources and failing results) on a terminal; plain
 * lines otherwise; nothing in --json mode.
 */
import cliProgress from 'cli-progress';

export interface ScanProgress {
  start(scopes: number): void;
  /** A page of `resources` was read in `label` (account region type). */
  page(label: string, resources: number): void;
  /** A planned scope finished (any outcome). */
  scope(label: string): void;
  /** Policy results arrived: `failing` of them FAIL or ERROR. */
  failing(n: number): void;
  /** A one-line note shown above the bar (or as its own line). */
  note(line: string): void;
  stop(): void;
}

export function createScanProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): ScanProgress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { start() {}, page() {}, scope() {}, failing() {}, note() {}, stop() {} };
  let total = 0;
  let done = 0;
  let resources = 0;
  let failing = 0;
  let label = '';
  if (!stream.isTTY) {
    let lastLine = 0;
    const line = (force = false) => {
      // About every tenth of the scan, and at the end.
      if (!force && done - lastLine < Math.max(1, Math.ceil(total / 10))) return;
      lastLine = done;
      stream.write(`  scan: ${done}/${total} scopes, ${resources} resources, ${failing} failing${label ? ` (${label})` : ''}\n`);
    };
    return {
      start: (t) => {
        total = t;
        stream.write(`  scan: ${t} scopes planned\n`);
      },
      page: (l, n) => {
        label = l;
        resources += n;
      },
      scope: (l) => {
        label = l;
        done++;
        line(done === total);
      },
      failing: (n) => (failing += n),
      note: (l) => stream.write(`  ${l}\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: '  scan [{bar}] {value}/{total} scopes | {resources} resources | {failing} failing | {label}',
      stream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const payload = () => ({ resources, failing, label });
  return {
    start: (t) => {
      total = t;
      started = true;
      bar.start(t, 0, payload());
    },
    page: (l, n) => {
      label = l;
      resources += n;
      if (started) bar.update(done, payload());
    },
    scope: (l) => {
      label = l;
      done++;
      if (started) bar.update(done, payload());
    },
    failing: (n) => {
      failing += n;
      if (started) bar.update(done, payload());
    },
    note: (l) => {
      if (started) {
        // Above the bar: clear its line, write, redraw.
        stream.write(`\r\x1b[2K  ${l}\n`);
        bar.update(done, payload());
      } else stream.write(`  ${l}\n`);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
