/**
 * The API's route registry: one register<Area>(app) per area module under src/console/routes/.
 * Adding an area is one file here plus one line below; createConsoleApp calls registerRoutes.
 */
import type { ConsoleApp } from '../route-kit.ts';
import { registerAudit } from './audit.ts';
import { registerOverview } from './overview.ts';

export function registerRoutes(app: ConsoleApp): void {
  registerOverview(app);
  registerAudit(app);
}
