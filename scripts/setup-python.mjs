// Creates .venv with python-runtime's dev requirements (moto server, pytest, PyYAML, cfn-lint).
// Runs on `npm ci`; skips pip when the requirements file has not changed since the last install.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const req = 'python-runtime/requirements-dev.txt';
const venv = '.venv';
const stamp = `${venv}/.requirements.sha256`;
const python = process.env.PYTHON ?? 'python3';
const hash = createHash('sha256').update(readFileSync(req)).digest('hex');

if (existsSync(`${venv}/bin/python`) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
  console.log(`posture: ${venv} is current (${req} unchanged)`);
} else {
  console.log(`posture: creating ${venv} from ${req}`);
  if (!existsSync(`${venv}/bin/python`)) execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(`${venv}/bin/python`, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', req], { stdio: 'inherit' });
  writeFileSync(stamp, hash);
}
