import type { EntityManager } from '@mikro-orm/postgresql';
import { idOf } from '../common/global-id';
import { selectRows } from '../db/select';
import { BadUserInputError, NotFoundError } from '../errors';

/** A team, match or competition (platform data), by database id. */
export type Target = { kind: 'Team' | 'Match' | 'Competition'; id: number };

const TABLES = { Team: 'team', Match: 'match', Competition: 'competition' } as const;

/**
 * The one target among the given global IDs (input fields `teamId`, `matchId`, `competitionId`);
 * `what` names the input in the error.
 */
export function targetOf(
  input: { teamId?: string | null; matchId?: string | null; competitionId?: string | null },
  what: string,
): Target {
  const given = (
    [
      ['Team', input.teamId, 'teamId'],
      ['Match', input.matchId, 'matchId'],
      ['Competition', input.competitionId, 'competitionId'],
    ] as const
  ).filter(([, id]) => id != null);
  if (given.length !== 1) {
    throw new BadUserInputError(`${what} needs exactly one of teamId, matchId and competitionId`, what);
  }
  const [kind, globalId, field] = given[0]!;
  return { kind, id: idOf(kind, globalId!, `${what}.${field}`) };
}

/** NOT_FOUND unless the target exists (platform data: every tenant may name it). */
export async function checkTargetExists(em: EntityManager, target: Target): Promise<void> {
  const rows = await selectRows(em, `select 1 from ${TABLES[target.kind]} where id = ?`, [target.id]);
  if (rows.length === 0) throw new NotFoundError(target.kind, target.id);
}

/** The target as the entity's relation ids (the two others null). */
export function targetColumns(target: Target): {
  team: number | null;
  match: number | null;
  competition: number | null;
} {
  return {
    team: target.kind === 'Team' ? target.id : null,
    match: target.kind === 'Match' ? target.id : null,
    competition: target.kind === 'Competition' ? target.id : null,
  };
}
