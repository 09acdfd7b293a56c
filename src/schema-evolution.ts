import fs from 'node:fs';
import path from 'node:path';
import { ChangeType, CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';

/** The schema clients were last given (`npm run schema:release` copies schema.graphql here). */
export const RELEASED_SCHEMA_FILE = path.resolve(__dirname, '../docs/api/released.graphql');
/** Breaking changes made on purpose since that release, each with its reason. */
export const DECLARED_CHANGES_FILE = path.resolve(__dirname, '../docs/api/breaking-changes.json');

export interface DeclaredChange {
  /** The change's path as graphql-inspector names it, e.g. `Match.minute`. */
  path: string;
  /** Its type, e.g. `FIELD_REMOVED`. */
  type: string;
  reason: string;
}

export interface EvolutionReport {
  /** Every change since the release, breaking or not. */
  changes: Change[];
  /** Breaking changes that `breaking-changes.json` does not declare: these fail the check. */
  undeclared: Change[];
  /** Removed fields and enum values that the release had not deprecated with a reason and a date. */
  removedWithoutNotice: Change[];
}

// Removals a client must be warned of first: one release with @deprecated(reason: "… YYYY-MM-DD").
const REMOVALS = new Set<string>([ChangeType.FieldRemoved, ChangeType.EnumValueRemoved, ChangeType.InputFieldRemoved]);
const DATED = /\b\d{4}-\d{2}-\d{2}\b/;

/**
 * What changed between the released schema and the current one, and which of it may not ship:
 * a breaking change must be declared, and a removal must have been announced by a dated
 * deprecation in the release (GraphQL's evolve-in-place model: deprecate, wait, then remove).
 */
export async function checkSchemaEvolution(
  releasedSdl: string,
  currentSdl: string,
  declared: readonly DeclaredChange[],
): Promise<EvolutionReport> {
  const released = buildSchema(releasedSdl);
  const changes = await diff(released, buildSchema(currentSdl));
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  const isDeclared = (change: Change) =>
    declared.some((d) => d.path === change.path && d.type === change.type && d.reason.trim() !== '');
  return {
    changes,
    undeclared: breaking.filter((change) => !isDeclared(change)),
    removedWithoutNotice: changes.filter(
      (change) => REMOVALS.has(change.type) && !DATED.test(deprecationOf(released, change.path ?? '') ?? ''),
    ),
  };
}

/** The deprecation reason of `Type.member` (a field, input field or enum value) in `schema`, if any. */
function deprecationOf(schema: GraphQLSchema, memberPath: string): string | null {
  const [typeName, member] = memberPath.split('.');
  const type = typeName ? schema.getType(typeName) : undefined;
  if (!type || !member) return null;
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    return type.getFields()[member]?.deprecationReason ?? null;
  }
  if (isEnumType(type)) return type.getValue(member)?.deprecationReason ?? null;
  return null;
}

export function readDeclaredChanges(file = DECLARED_CHANGES_FILE): DeclaredChange[] {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DeclaredChange[]) : [];
}
