/**
 * The Node.js the rehearsal runs the Node bundles on: the major version the stack declares
 * (nodejs22.x), from the npm registry — the optional dependency `node-<platform>-<arch>` (the
 * platform binary package the `node` package itself installs), so `npm ci` provides it without
 * any other download. POSTURE_REHEARSAL_NODE overrides the path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../src/core/paths.ts';

export function rehearsalNode(): string {
  const override = process.env.POSTURE_REHEARSAL_NODE;
  if (override) return override;
  const pkg = `node-${process.platform}-${process.arch}`;
  const binary = join(projectRoot, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(binary)) {
    throw new Error(`test:deployed: no Node.js binary of the declared Lambda runtime at ${binary}: run npm ci (optional dependency ${pkg}), or set POSTURE_REHEARSAL_NODE`);
  }
  return binary;
}
