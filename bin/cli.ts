/** The `posture` CLI. */
import { Command, Option } from 'commander';
import { runPolicyTests } from '../src/cli/test-command.ts';
import { runDemo } from '../src/local/demo.ts';
import type { LocalRuntime } from '../src/local/runtime.ts';

// The local CLI supports Node 20 (Lambda runs Node 22); the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('posture').description('Serverless cloud security scanning for AWS').showHelpAfterError();

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

program
  .command('test')
  .description('run the unit tests of policies (panther_analysis_tool test semantics)')
  .argument('[paths...]', 'directories or files holding policies (folders whose name contains "policies")')
  .addOption(new Option('--filter <key=values>', 'only specs whose KEY matches one of the comma-separated values (KEY!=V excludes); repeatable').argParser((v: string, prev: string[] = []) => [...prev, v]))
  .option('--minimum-tests <n>', 'fail policies with fewer unit tests')
  .option('--skip-disabled-tests', 'do not run the tests of disabled policies')
  .option('--json', 'machine-readable output')
  .action((paths: string[], opts) => {
    process.exitCode = runPolicyTests(paths, opts);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`posture: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(process.exitCode && process.exitCode !== 0 ? process.exitCode : 1);
});
