/**
 * Framework packs as a choice: which frameworks' policies run (`posture scan --frameworks`, the
 * stack's `-c posture:frameworks`). Policies stay in folders per service — one policy usually
 * belongs to several frameworks (S3.8 is FSBP, CIS 2.1.4, PCI, NIST) — and a policy's frameworks
 * are its spec's `Reports` keys. A choice resolves here into the `Reports` keys of the known
 * frameworks left out; the engine disables, at load, a policy whose every `Reports` key is among
 * them (python-runtime/posture_engine/reports_select.py), exactly as `Enabled: false`. A policy
 * with no `Reports` (a team's own) or reporting to a framework Posture does not know always runs.
 */
import { FRAMEWORKS, findFramework, knownFrameworks, type Framework } from './index.ts';

/** The engine's variable: a JSON list of the `Reports` keys left out (absent or empty: every policy runs). */
export const REPORTS_DESELECT_ENV = 'POSTURE_REPORTS_DESELECT';

/** Every policy runs. */
export const ALL = 'all';

/** CIS (every version: a policy mapped only to CIS v1.2.0 is a CIS policy) and FSBP. */
export const DEFAULT_FRAMEWORKS: readonly string[] = ['cis', 'fsbp'];

export class FrameworkChoiceError extends Error {}

export interface FrameworkChoice {
  /** The chosen frameworks' IDs, in the framework model's order (every one for `all`). */
  frameworks: string[];
  all: boolean;
  /** Every spelling (name, ID, aliases) of the known frameworks not chosen: what the engine leaves out. */
  deselectedKeys: string[];
}

/** A family name — `cis`, `pci`, `nist` — the leading part of framework IDs (`cis-3.0`, `cis-1.2`...). */
const family = (id: string): string => id.split('-')[0]!;
const FAMILIES = [...new Set(FRAMEWORKS.map((f) => family(f.id)))].filter((name) => !findFramework(name));

/** The names `--frameworks` takes, for help texts and errors. */
export const knownChoices = (): string => `${ALL}, ${FAMILIES.map((n) => `${n} (every version)`).join(', ')}, ${knownFrameworks()}`;

/**
 * One name: a framework's ID, name or alias, case-insensitive (as `posture compliance --framework`
 * resolves it), else a family (`cis`: every CIS version; `cis-3.0` is v3.0 only).
 */
function resolve(name: string): Framework[] {
  const exact = findFramework(name);
  if (exact) return [exact];
  const key = name.trim().toLowerCase();
  const members = FRAMEWORKS.filter((f) => family(f.id) === key);
  if (members.length) return members;
  throw new FrameworkChoiceError(`'${name.trim()}' is not a known framework; known: ${knownChoices()}`);
}

/** Names from a flag or context value: a list and/or comma-separated strings, trimmed, empty ones dropped. */
export const frameworkNames = (value: string | readonly string[]): string[] =>
  (typeof value === 'string' ? [value] : value).flatMap((v) => v.split(',').map((s) => s.trim())).filter(Boolean);

/** The choice the names make (default: DEFAULT_FRAMEWORKS); an unknown name is one line naming the known ones. */
export function chooseFrameworks(names: readonly string[] = DEFAULT_FRAMEWORKS): FrameworkChoice {
  if (names.length === 0) throw new FrameworkChoiceError(`give at least one framework; known: ${knownChoices()}`);
  if (names.some((n) => n.trim().toLowerCase() === ALL)) return { frameworks: FRAMEWORKS.map((f) => f.id), all: true, deselectedKeys: [] };
  const chosen = new Set(names.flatMap(resolve));
  return {
    frameworks: FRAMEWORKS.filter((f) => chosen.has(f)).map((f) => f.id),
    all: false,
    deselectedKeys: FRAMEWORKS.filter((f) => !chosen.has(f)).flatMap((f) => [f.name, f.id, ...f.aliases]),
  };
}

/** The engine's environment for a choice (set on the stack's engine function and the local worker). */
export const choiceEnv = (choice: FrameworkChoice): Record<string, string> => ({ [REPORTS_DESELECT_ENV]: JSON.stringify(choice.deselectedKeys) });

/** `cis-3.0, cis-1.4, cis-1.2, fsbp`, or `all`. */
export const describeChoice = (choice: FrameworkChoice): string => (choice.all ? ALL : choice.frameworks.join(', '));
