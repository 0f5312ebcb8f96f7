/** `posture demo`: the whole system on the embedded emulator. */
import type { Command } from 'commander';
import { runDemo } from '#cli/demo.ts';
import type { LocalRuntime } from '#local/runtime.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole system on the embedded AWS emulator: seed, onboard, scan, real-time change, findings')
    .option('--out <dir>', 'output directory for findings.json and report.html', 'out/demo')
    .option('--keep-running', 'leave the emulator running and print its endpoint')
    .action(async (opts: { out: string; keepRunning?: boolean }) => {
      let runtime: LocalRuntime | undefined;
      // Ctrl-C: stop the emulator and the engine worker, keep what was written.
      const onSigint = () => {
        if (opts.keepRunning) return;
        console.error('\ninterrupted: stopping the emulator');
        void (runtime?.close() ?? Promise.resolve()).finally(() => process.exit(130));
      };
      process.on('SIGINT', onSigint);
      await runDemo({ outDir: opts.out, keepRunning: opts.keepRunning }, (rt) => (runtime = rt));
      process.off('SIGINT', onSigint);
    });
}
