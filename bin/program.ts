/** The `posture` command tree: each verb lives in src/cli/commands/<verb>.ts and registers itself here. */
import { Command } from 'commander';
import { registerAccounts } from '../src/cli/commands/accounts.ts';
import { registerBundle } from '../src/cli/commands/bundle.ts';
import { registerChanges } from '../src/cli/commands/changes.ts';
import { registerConsole } from '../src/cli/commands/console.ts';
import { registerCompliance } from '../src/cli/commands/compliance.ts';
import { registerCost } from '../src/cli/commands/cost.ts';
import { registerDemo } from '../src/cli/commands/demo.ts';
import { registerDestinations } from '../src/cli/commands/destinations.ts';
import { registerExceptions } from '../src/cli/commands/exceptions.ts';
import { registerFindings } from '../src/cli/commands/findings.ts';
import { registerReport } from '../src/cli/commands/report.ts';
import { registerResources } from '../src/cli/commands/resources.ts';
import { registerScan } from '../src/cli/commands/scan.ts';
import { registerStatus } from '../src/cli/commands/status.ts';
import { registerTemplates } from '../src/cli/commands/templates.ts';
import { registerTest } from '../src/cli/commands/test.ts';
import { registerUpload } from '../src/cli/commands/upload.ts';
import { registerList } from '../src/cli/commands/list.ts';
import { USAGE_EXIT } from '../src/cli/commands/options.ts';
import { packageVersion } from '../src/core/paths.ts';

export function buildProgram(): Command {
  const program = new Command('posture')
    .description('Serverless cloud security scanning for AWS')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    // Every usage error commander finds (unknown option, missing value or required option, invalid
    // choice, a typo in a list flag: src/cli/commands/options.ts) exits 2, as the verbs' own usage
    // errors do; --help and --version exit 0. Subcommands inherit this (registered below).
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT));
  registerDemo(program);
  registerScan(program);
  registerTest(program);
  registerBundle(program);
  registerUpload(program);
  registerAccounts(program);
  registerTemplates(program);
  registerFindings(program);
  registerExceptions(program);
  registerDestinations(program);
  registerResources(program);
  registerChanges(program);
  registerReport(program);
  registerCompliance(program);
  registerCost(program);
  registerStatus(program);
  registerConsole(program);
  registerList(program);
  return program;
}
