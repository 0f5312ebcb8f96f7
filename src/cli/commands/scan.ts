/** `posture scan`: scan accounts from a terminal or a CI job, with the caller's credentials and an embedded store. */
import { Option, type Command } from 'commander';
import type { LocalRuntime } from '#local/runtime.ts';
import { SEVERITIES } from '#core/types.ts';
import { EXIT, parseFrameworks, runScan, ScanInterrupted, ScanUsageError, type ScanCliOptions } from '#cli/scan.ts';
import { DEFAULT_FRAMEWORKS } from '#compliance/frameworks/selection.ts';
import { BUILTIN_PACK_DIR, CatalogError, readCatalog } from '#cli/policy-catalog.ts';
import { addAccountsOption, addRegionsOption, addTypesOption } from './options.ts';
import { printRows, selectedPolicyRows, typeRows } from './list.ts';

const repeatable = (v: string, prev: string[] = []) => [...prev, v];

export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description("scan AWS accounts with the caller's credentials (AWS_ENDPOINT_URL honoured); state in an embedded store; writes resources.jsonl, findings.json, report.html")
    .option('--profile <name>', 'AWS profile (default: the standard credential chain)');
  addRegionsOption(cmd, 'regions to scan (default: the enabled regions)');
  addTypesOption(cmd, 'resource types or services to scan, e.g. AWS.S3.Bucket, s3, ec2 (default: all)');
  addAccountsOption(cmd, 'account IDs to scan by assuming --role-name in each');
  cmd
    .addOption(new Option('--exclude-resources <regex...>', 'skip resources whose ID matches (repeatable)').argParser(repeatable))
    .option('--organization', "every active account of the caller's Organization (assuming --role-name in each)")
    .addOption(new Option('--from-organization', 'same as --organization').hideHelp())
    .option('--role-name <name>', 'role to assume in each scanned account')
    .option('--role-arn <arn>', 'role to assume (its account is scanned unless --accounts or --organization is given)')
    .option('--external-id <id>', 'ExternalId for the role assumption')
    .addOption(new Option('--policies <dir...>', 'policy directories evaluated with the built-in pack (validated and tested first)').argParser(repeatable))
    .addOption(
      new Option(
        '--frameworks <list>',
        `the frameworks whose policies run, comma-separated, repeatable: an ID, name or alias (posture list frameworks), cis (every CIS version; cis-3.0 is v3.0 only), securityhub, pci, nist, or all (default: ${DEFAULT_FRAMEWORKS.join(',')}); policies without Reports always run`,
      ).argParser(repeatable),
    )
    .option('--out <dir>', 'output directory', 'out/scan')
    .addOption(
      new Option('--format <list>', 'extra exports in --out, comma-separated: json (scan.json), csv (findings.csv), ocsf (findings.ocsf.jsonl), asff (findings.asff.json)').default('table'),
    )
    .option('--fail-on <severity>', `exit 1 when an unsuppressed FAIL at or above this severity exists (${SEVERITIES.join('|')})`)
    .option('--allow-incomplete', 'do not exit 3 when scopes could not be evaluated or the policy engine failed (they are still reported)')
    .option('--json', 'print the result as JSON only (no progress, no table)')
    .option('--list-types', 'list the resource types a scan covers and exit (as posture list types)')
    .option('--list-policies', 'list the policies a scan evaluates (the built-in pack and --policies, those --frameworks selects) and exit')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes (precedence: 130, then 1, then 3, then 0):',
        '  0    complete, and no unsuppressed FAIL at or above --fail-on',
        '  1    an unsuppressed FAIL at or above --fail-on (even when the scan is also incomplete)',
        '  2    nothing scanned: a usage or credentials error, --out not writable, a scan that could not start',
        '  3    incomplete: a scope not evaluated (ACCESS_DENIED, THROTTLED, ERROR...; opt-in regions not',
        '       enabled do not count), a policy the engine could not load, ERROR results (with --fail-on:',
        '       of policies at or above it) — reported, exit 0, with --allow-incomplete — or a scan that',
        '       stopped on an unexpected error after it started (always 3)',
        '  130  interrupted (Ctrl-C); what was read is written',
      ].join('\n'),
    )
    .action(async (given: ScanCliOptions & { fromOrganization?: boolean; listTypes?: boolean; listPolicies?: boolean }) => {
      const { fromOrganization, listTypes, listPolicies, ...opts } = given;
      if (listTypes) {
        printRows(typeRows(), opts.json);
        return;
      }
      if (listPolicies) {
        try {
          const choice = parseFrameworks(opts.frameworks);
          const listed = selectedPolicyRows(readCatalog({ dirs: [BUILTIN_PACK_DIR, ...(opts.policies ?? [])] }, choice), choice);
          printRows(listed.rows, opts.json);
          if (!opts.json) console.log(listed.countLine);
        } catch (err) {
          if (!(err instanceof CatalogError || err instanceof ScanUsageError)) throw err;
          console.error(`posture scan: ${err.message}`);
          process.exitCode = EXIT.usage;
        }
        return;
      }
      if (fromOrganization) opts.organization = true;
      let runtime: LocalRuntime | undefined;
      const abort = new AbortController();
      // An error once the scan has started (the runtime is up) leaves it incomplete: 3, never 1
      // (Node's own code for a crash, which a gate would read as "failing findings").
      const stopped = (err: unknown) => {
        const msg = err instanceof Error ? err.message : String(err);
        console.error(`posture scan: ${runtime ? 'the scan did not finish' : 'the scan could not start'}: ${msg.split('\n')[0]}`);
        return runtime ? EXIT.incomplete : EXIT.usage;
      };
      const crashed = (err: unknown) => {
        const code = stopped(err);
        void (runtime?.close() ?? Promise.resolve()).finally(() => process.exit(code));
        setTimeout(() => process.exit(code), 5000).unref();
      };
      // First Ctrl-C: stop scanning, write what was read. Second: stop now.
      const onSigint = () => {
        if (!abort.signal.aborted) {
          process.stderr.write('\ninterrupted: finishing the pages in flight and writing what was read (Ctrl-C again to stop now)\n');
          abort.abort();
          return;
        }
        void (runtime?.close() ?? Promise.resolve()).finally(() => process.exit(130));
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      process.on('uncaughtException', crashed);
      process.on('unhandledRejection', crashed);
      try {
        const result = await runScan(opts, {
          print: (l) => console.log(l),
          printJson: (doc) => process.stdout.write(JSON.stringify(doc, null, 2) + '\n'),
          signal: abort.signal,
          onRuntime: (rt) => (runtime = rt),
        });
        process.exitCode = result.exitCode;
      } catch (err) {
        if (err instanceof ScanInterrupted || err instanceof ScanUsageError) {
          console.error(`posture scan: ${err.message.split('\n')[0]}`);
          process.exitCode = err instanceof ScanInterrupted ? EXIT.interrupted : EXIT.usage;
        } else {
          // Anything else: before the runtime started, a scan that could not start (2); after, an incomplete one (3).
          process.exitCode = stopped(err);
        }
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        process.off('uncaughtException', crashed);
        process.off('unhandledRejection', crashed);
      }
    });
}
