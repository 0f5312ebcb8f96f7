/** The policy engine's environment: an allow-list, no caller credentials (src/core/engine-env.ts). */
import { spawnSync } from 'node:child_process';
import { devNull } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_CHAIN_OFF, engineEnv } from '../../src/core/engine-env.ts';
import { pythonExecutable } from '../../src/core/paths.ts';

const CALLER: NodeJS.ProcessEnv = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/dev',
  LANG: 'en_US.UTF-8',
  LC_ALL: 'en_US.UTF-8',
  TZ: 'Europe/Berlin',
  TMPDIR: '/tmp/dev',
  PYTHONUTF8: '1',
  POSTURE_POLICY_TIMEOUT: '5',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret-key',
  AWS_SESSION_TOKEN: 'session-token',
  AWS_PROFILE: 'prod-admin',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/creds',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 'ecs-token',
  AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
  GITHUB_TOKEN: 'ghp_x',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x',
  POSTURE_WEBHOOK_SECRET: 'hmac',
  DATABASE_PASSWORD: 'pw',
  HTTPS_PROXY: 'http://proxy:3128',
  PIP_INDEX_URL: 'https://pypi.example/simple',
  PYTHONSTARTUP: '/home/dev/.pythonrc',
  VIRTUAL_ENV: '/home/dev/.venv',
};

describe('engineEnv', () => {
  it('passes only the allow-list, then turns the SDK credential chain off and sets what Posture gives', () => {
    const env = engineEnv({ source: CALLER, set: { PYTHONPATH: '/opt/engine', TZ: 'UTC' } });
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/dev',
      LANG: 'en_US.UTF-8',
      LC_ALL: 'en_US.UTF-8',
      TZ: 'UTC',
      TMPDIR: '/tmp/dev',
      PYTHONUTF8: '1',
      POSTURE_POLICY_TIMEOUT: '5',
      PYTHONPATH: '/opt/engine',
      AWS_SHARED_CREDENTIALS_FILE: devNull,
      AWS_CONFIG_FILE: devNull,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(Object.keys(env).filter((k) => k.startsWith('AWS_')).sort()).toEqual(Object.keys(CREDENTIAL_CHAIN_OFF).sort());
  });

  it('passes the network settings pip needs only when asked', () => {
    expect(engineEnv({ source: CALLER }).HTTPS_PROXY).toBeUndefined();
    const env = engineEnv({ source: CALLER, network: true });
    expect(env).toMatchObject({ HTTPS_PROXY: 'http://proxy:3128', PIP_INDEX_URL: 'https://pypi.example/simple' });
    expect(Object.values(env).join(' ')).not.toMatch(/secret-key|session-token|prod-admin|ghp_x|hmac|ecs-token|hooks\.slack/);
  });

  it('is what a spawned Python sees: no caller credential reaches os.environ', () => {
    const r = spawnSync(pythonExecutable(), ['-c', 'import json, os; print(json.dumps(dict(os.environ)))'], {
      encoding: 'utf8',
      env: engineEnv({ source: { ...process.env, AWS_SESSION_TOKEN: 'SESSIONTOKENMARKER', AWS_SECRET_ACCESS_KEY: 'SECRETMARKER', MY_API_TOKEN: 'TOKENMARKER' } }),
    });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/MARKER/);
    const seen = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(seen).filter((k) => k.startsWith('AWS_') && !(k in CREDENTIAL_CHAIN_OFF))).toEqual([]);
  });
});
