/** Progress for long CLI work: a bar on a terminal, plain lines otherwise, nothing in --json mode. */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number): void;
  tick(label: string, resources: number): void;
  stop(): void;
}

export function createProgress(what: string, opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { start() {}, tick() {}, stop() {} };
  let resources = 0;
  let done = 0;
  if (!stream.isTTY) {
    let total = 0;
    return {
      start: (t) => (total = t),
      tick: (label, n) => {
        resources += n;
        done++;
        if (done % 10 === 0 || done === total) stream.write(`  ${what}: ${done}/${total} pages, ${resources} resources (${label})\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `  ${what} [{bar}] {value} pages | {resources} resources | {label}`, stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (t) => bar.start(t, 0, { resources: 0, label: '' }),
    tick: (label, n) => {
      resources += n;
      bar.setTotal(Math.max(bar.getTotal(), ++done));
      bar.update(done, { resources, label });
    },
    stop: () => bar.stop(),
  };
}
