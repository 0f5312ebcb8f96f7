/**
 * The resource every part of Posture passes around: a Panther-model resource (DESIGN §3), the
 * common keys first, then the type's AWS fields verbatim (PascalCase). Shared vocabulary: the
 * registry produces it, stores keep it, the engine evaluates it, the CLI and alerts show it.
 */

/** A Panther-model resource: the common keys, then the type's AWS fields (PascalCase). */
export interface Resource {
  ResourceId: string;
  ResourceType: string;
  TimeCreated: string | null;
  AccountId: string;
  Region: string;
  Arn: string | null;
  Id: string | null;
  Name: string | null;
  Tags: Record<string, string> | null;
  [field: string]: unknown;
}
