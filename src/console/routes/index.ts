/**
 * The API's route registry: one register<Area>(app) per area module under src/console/routes/.
 * Adding an area is one file here plus one line below; createConsoleApp calls registerRoutes.
 */
import type { ConsoleApp } from '../route-kit.ts';
import { registerAccounts } from './accounts.ts';
import { registerAudit } from './audit.ts';
import { registerFindings } from './findings.ts';
import { registerDestinations } from './destinations.ts';
import { registerScans } from './scans.ts';
import { registerDetections } from './detections.ts';
import { registerOverview } from './overview.ts';
import { registerResources } from './resources.ts';

export function registerRoutes(app: ConsoleApp): void {
  registerOverview(app);
  registerAudit(app);
  registerResources(app);
  registerFindings(app);
  registerAccounts(app);
  registerDestinations(app);
  registerScans(app);
  registerDetections(app);
}
