// Creates .venv with python-runtime's dev requirements (moto server, pytest, PyYAML, cfn-lint) in a
// checkout. Runs on `npm ci`; skips pip when the requirements files have not changed since the last
// install. It runs as "prepare", which npm runs in a checkout but not for an installed package, whose
// venv is made on first use (src/core/engine-venv.ts).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

// `npm pack` runs "prepare" too: packing builds dist/ but needs no Python.
if (process.env.npm_command === 'pack') process.exit(0);

const req = 'python-runtime/requirements-dev.txt';
const venv = '.venv';
const stamp = `${venv}/.requirements.sha256`;
const python = process.env.PYTHON ?? 'python3';
const hash = createHash('sha256')
  .update(readFileSync(req))
  .update(readFileSync('python-runtime/requirements.txt')) // requirements-dev.txt includes it
  .digest('hex');

if (existsSync(`${venv}/bin/python`) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
  console.log(`posture: ${venv} is current (${req} unchanged)`);
} else {
  console.log(`posture: creating ${venv} from ${req}`);
  if (!existsSync(`${venv}/bin/python`)) execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(`${venv}/bin/python`, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', req], { stdio: 'inherit' });
  writeFileSync(stamp, hash);
}
