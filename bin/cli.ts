/** The `posture` CLI from a checkout (`npm run posture`, tsx) and the build's entry (dist/cli.mjs): parse and run. */
import { buildProgram } from './program.ts';

// The local CLI supports Node 20 (Lambda runs Node 22); the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    console.error(`posture: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(process.exitCode && process.exitCode !== 0 ? process.exitCode : 1);
  });
