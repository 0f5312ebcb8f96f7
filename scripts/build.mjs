// `npm run build` (also run by `npm ci` and `npm pack` through "prepare"): bundles the CLI to plain
// JavaScript in dist/ with esbuild — cli.mjs (every command; the '#' imports resolved), posture.mjs
// (the launcher `bin` points at) and help.json (each command's help, from the real command tree);
// then the console's single-page app (vite) into dist/console/, which `posture console` serves.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { build as viteBuild } from 'vite';

const out = 'dist';
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
// Bundled CommonJS dependencies call require(); an ES module has none of its own.
const banner = { js: "import { createRequire as __postureRequire } from 'node:module';\nconst require = __postureRequire(import.meta.url);" };
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', legalComments: 'none', logLevel: 'warning', banner };

await build({ ...common, entryPoints: { cli: 'bin/cli.ts', 'help-manifest': 'bin/help-manifest.ts' }, outdir: out, outExtension: { '.js': '.mjs' } });
await build({ ...common, entryPoints: { posture: 'bin/launcher.ts' }, outdir: out, outExtension: { '.js': '.mjs' }, banner: { js: '#!/usr/bin/env node' } });
execFileSync(process.execPath, [`${out}/help-manifest.mjs`, `${out}/help.json`], { stdio: 'inherit' });
rmSync(`${out}/help-manifest.mjs`);
await viteBuild({ configFile: 'console/vite.config.ts', logLevel: 'warn' });
console.log(`posture: built ${out}/posture.mjs and ${out}/console/`);
