/**
 * The environment of every process that loads policy code (the local worker, `posture test`,
 * `posture bundle`, bundle diffs, the `posture scan --policies` check): an allow-list, never the
 * caller's whole environment. Policies are trusted to decide, not to hold the caller's keys: a
 * `title()` that prints `os.environ` must not be able to put AWS credentials, tokens or webhook
 * secrets into findings, reports or alerts (DESIGN §6 "the worker gets a minimal environment").
 *
 * Passed through from the caller: PATH, HOME, LANG, LANGUAGE, LC_*, TZ, TMPDIR/TMP/TEMP, the
 * Python interpreter settings in PYTHON_SETTINGS, and the engine's non-secret POSTURE_* settings
 * in POSTURE_SETTINGS. With `network` (the runners that pip-install a pack's requirements.txt):
 * also the proxy, CA-bundle and pip index settings in NETWORK_SETTINGS. Nothing else — no AWS_*,
 * no *_TOKEN, *_SECRET*, profiles, CI or cloud variables.
 *
 * Set by Posture on top: the caller's `set` (PYTHONPATH, ...), and the variables that switch the
 * AWS SDK's credential chain off inside the engine (no shared credentials or config file, no
 * instance metadata), so that even a policy importing boto3 finds no credentials to use.
 */
import { devNull } from 'node:os';

const PASSED = new Set(['PATH', 'HOME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TMP', 'TEMP', 'SYSTEMROOT']);

/** Interpreter settings a caller may rely on (none of them carries a secret). */
export const PYTHON_SETTINGS: readonly string[] = [
  'PYTHONHOME',
  'PYTHONUTF8',
  'PYTHONIOENCODING',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONPYCACHEPREFIX',
  'PYTHONWARNINGS',
  'PYTHONHASHSEED',
  'PYTHONNOUSERSITE',
  'PYTHONFAULTHANDLER',
];

/** The engine's own settings that a caller may give (python-runtime reads them; none is secret). */
export const POSTURE_SETTINGS: readonly string[] = ['POSTURE_POLICY_TIMEOUT', 'POSTURE_POLICY_GRACE', 'POSTURE_POLICY_MEMORY_MB', 'POSTURE_ISOLATION'];

/** What pip needs to reach a package index from behind a proxy or a private CA. */
export const NETWORK_SETTINGS: readonly string[] = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_TRUSTED_HOST',
  'PIP_CERT',
  'PIP_CONFIG_FILE',
  'PIP_FIND_LINKS',
  'PIP_NO_INDEX',
];

/** Set in every engine process: the SDK credential chain finds nothing (no file, no IMDS). */
export const CREDENTIAL_CHAIN_OFF: Readonly<Record<string, string>> = {
  AWS_SHARED_CREDENTIALS_FILE: devNull,
  AWS_CONFIG_FILE: devNull,
  AWS_EC2_METADATA_DISABLED: 'true',
};

export interface EngineEnvOptions {
  /** Variables the engine needs from Posture itself (e.g. PYTHONPATH); set last, not filtered. */
  set?: Record<string, string>;
  /** Also pass NETWORK_SETTINGS (runners that install a pack's requirements.txt). */
  network?: boolean;
  /** The caller's environment (default process.env). */
  source?: NodeJS.ProcessEnv;
}

/** Whether the caller's variable `name` may reach an engine process. */
export function passedToEngine(name: string, network = false): boolean {
  return (
    PASSED.has(name) ||
    name.startsWith('LC_') ||
    PYTHON_SETTINGS.includes(name) ||
    POSTURE_SETTINGS.includes(name) ||
    (network && NETWORK_SETTINGS.includes(name))
  );
}

/** The minimal environment for a policy-loading process. */
export function engineEnv(opts: EngineEnvOptions = {}): Record<string, string> {
  const source = opts.source ?? process.env;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && passedToEngine(name, opts.network)) out[name] = value;
  }
  return { ...out, ...CREDENTIAL_CHAIN_OFF, ...opts.set };
}
