import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { cacheKeys, type Cache } from '../cache/cache';
import { toConnection, type Connection } from '../common/connection';
import { Season } from '../competitions/season.entity';
import { PipelinedTransaction } from '../db/pipelined-transaction';
import { selectPrepared } from '../db/prepared';
import { selectRows } from '../db/select';
import { appendLiveUpdate, liveUpdateInsertFrom, LiveUpdateKind } from '../live/live-update';
import { predictionUpdatedPayload, toPredictionSnapshot } from '../live/prediction.snapshot';
import {
  IN_PLAY_INPUTS,
  inPlayPredictionInsertFrom,
  newInPlayPrediction,
  storedInPlayPrediction,
  type InPlayInputsRow,
} from '../predictions/in-play.service';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  isAppError,
  LimitExceededError,
  NotFoundError,
} from '../errors';
import type { AppPubSub } from '../pubsub/pubsub';
import { Topic } from '../pubsub/topics';
import { Team } from '../teams/team.entity';
import { inSpan, inSpanSync } from '../tracing/spans';
import { holdsAnyScope, Scope } from '../tenants/scope';
import { audit, auditInsertFrom } from '../tenants/audit';
import { checkManualStatusChange, isPastRegularTime, replayEvents } from './match-state';
import { MatchEvent } from './match-event.entity';
import { Match } from './match.entity';
import { MatchStatus, type MatchEventType } from './match.enums';
import { matchListStatement, type MatchListFilter, type MatchListRow } from './match-list.sql';
export type { MatchListFilter } from './match-list.sql';
import {
  applyBatchByMatch,
  MAX_EVENTS_PER_BATCH,
  type BatchItem,
  type GroupItemResult,
  type IngestOutcomeKind,
} from './ingest/event-batch';
import { groupWriteStatement, type GroupWriteRow } from './ingest/event-group.sql';
import type { IngestMatchEventsPayload } from './ingest/ingest.types';
import { secretOfSource } from './ingest/ingest-source.service';
import { matchFromSnapshot, toMatchSnapshot, type MatchSnapshot } from './match.snapshot';
import {
  advance,
  planEvent,
  recordedEvent,
  sideOf,
  STATE_COLUMNS,
  type LockedMatch,
  type NewMatchEvent,
  type PlannedEvent,
  type RecordedEvent,
} from './event-plan';
export type { NewMatchEvent, RecordedEvent } from './event-plan';
import {
  EVENT_COLUMNS,
  eventFromRow,
  MATCH_COLUMNS,
  matchFromRow,
  type MatchEventRow,
  type MatchRow,
} from './match.views';

export interface NewMatch {
  seasonId: number;
  homeTeamId: number;
  awayTeamId: number;
  kickoff: Date;
}

export interface MatchChanges {
  kickoff?: Date;
  status?: MatchStatus;
}

/** The columns of an event a correction may change. */
const CORRECTABLE = ['type', 'minute', 'team_id', 'detail', 'added_minutes'] as const;

/** What `correctEvent` may change of an event; `null` for `teamId` and `detail` clears them. */
export interface EventChanges {
  type?: MatchEventType;
  minute?: number;
  teamId?: number | null;
  detail?: string | null;
  addedMinutes?: number | null;
}

/** What became of a `recordEvent` call (metrics): stored, a repeated delivery, or refused / failed. */
export type EventOutcome = 'recorded' | 'duplicate' | 'rejected';

export interface MatchServiceDeps {
  /** Told the outcome of each `recordEvent` (metrics). */
  onEvent?: (outcome: EventOutcome, type: MatchEventType) => void;
  em: EntityManager;
  cache: Cache;
  pubSub: AppPubSub;
  principal: Principal | null;
  /** Called after every committed write: cached shared-data responses are stale. */
  sharedDataChanged: () => void;
}

export class MatchService {
  constructor(private readonly deps: MatchServiceDeps) {}

  /** A match by id, read through the cache. */
  async getById(id: number): Promise<Match> {
    const snapshot = await this.deps.cache.getOrLoad<MatchSnapshot | null>(cacheKeys.match(id), async () => {
      const match = await this.deps.em.findOne(Match, id);
      return match ? toMatchSnapshot(match) : null;
    });
    if (!snapshot) throw new NotFoundError('Match', id);
    return matchFromSnapshot(snapshot);
  }

  /** Matches by kick-off then id, keyset-paginated, with the filter's total: one statement. */
  async list(filter: MatchListFilter, limit: number, after: unknown[] | null): Promise<Connection<Match>> {
    const { sql, params } = matchListStatement(filter, limit + 1, after);
    const rows = await selectPrepared<MatchListRow>(this.deps.em, sql, params);
    const matches = rows.filter((row) => row.id !== null).map(matchFromRow);
    return toConnection(matches, limit, rows[0]?.total_count ?? 0, (m) => [m.kickoff.toISOString(), m.id]);
  }

  async create(input: NewMatch): Promise<Match> {
    if (input.homeTeamId === input.awayTeamId) {
      throw new BadUserInputError('homeTeamId and awayTeamId must be different teams', 'awayTeamId');
    }
    const match = await this.transaction(async (em) => {
      // One connection per transaction: queries on it run one after another.
      const season = await em.findOne(Season, input.seasonId);
      const home = await em.findOne(Team, input.homeTeamId);
      const away = await em.findOne(Team, input.awayTeamId);
      if (!season) throw new NotFoundError('Season', input.seasonId);
      if (!home) throw new NotFoundError('Team', input.homeTeamId);
      if (!away) throw new NotFoundError('Team', input.awayTeamId);
      checkKickoffInSeason(input.kickoff, season);
      const created = em.create(Match, { season, homeTeam: home, awayTeam: away, kickoff: input.kickoff });
      await em.flush();
      audit(em, this.deps.principal, 'match.create', { type: 'Match', id: created.id }, { ...input });
      return created;
    }, 'this season already has a match between these teams at this venue');
    await this.published(match);
    return match;
  }

  async update(id: number, changes: MatchChanges): Promise<Match> {
    if (changes.kickoff === undefined && changes.status === undefined) {
      throw new BadUserInputError('nothing to update: give kickoff or status', 'input');
    }
    const match = await this.transaction(async (em) => {
      const found = await em.findOne(Match, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!found) throw new NotFoundError('Match', id);
      if (changes.kickoff && !RESCHEDULABLE.has(found.status)) {
        throw new InvalidStateError(`the kick-off of a ${found.status} match cannot be moved`);
      }
      if (changes.status && changes.status !== found.status) checkManualStatusChange(found.status, changes.status);
      if (changes.kickoff) found.kickoff = changes.kickoff;
      if (changes.status) found.status = changes.status;
      audit(em, this.deps.principal, 'match.update', { type: 'Match', id }, { ...changes });
      await em.flush();
      const live = await appendLiveUpdate(
        em,
        LiveUpdateKind.MATCH_CHANGED,
        { match: toMatchSnapshot(found) },
        new Date(),
      );
      return { found, live };
    });
    await this.published(match.found);
    this.deps.pubSub.publish(Topic.LIVE_UPDATE, { ...match.live, recordedAt: Date.now() });
    return match.found;
  }

  /** Records an event once per (source, externalId); status and score follow from it. */
  async recordEvent(input: NewMatchEvent): Promise<RecordedEvent> {
    try {
      const result = await inSpan('live.ingest', { 'matchcast.events': 1 }, () =>
        inSpan(RECORD_SPAN, { 'matchcast.match.id': input.matchId, 'matchcast.events': 1 }, () =>
          this.recordEventOnce(input),
        ),
      );
      this.deps.onEvent?.(result.created ? 'recorded' : 'duplicate', input.type);
      return result;
    } catch (error) {
      this.deps.onEvent?.('rejected', input.type);
      throw error;
    }
  }

  /**
   * A batch of events (see ingest/event-batch.ts), at most MAX_EVENTS_PER_BATCH; each event is
   * recorded as `recordEvent` records one, so it is pushed and counted the same way.
   */
  async ingestEvents(items: readonly BatchItem<NewMatchEvent>[]): Promise<IngestMatchEventsPayload> {
    if (items.length > MAX_EVENTS_PER_BATCH) {
      throw new LimitExceededError(`At most ${MAX_EVENTS_PER_BATCH} events per batch`, MAX_EVENTS_PER_BATCH);
    }
    const outcomes = await inSpan('live.ingest', { 'matchcast.events': items.length }, () =>
      applyBatchByMatch(items, async (inputs) =>
        (
          await inSpan(
            RECORD_SPAN,
            { 'matchcast.match.id': inputs[0]!.matchId, 'matchcast.events': inputs.length },
            () => this.recordEventsOfMatch(inputs),
          )
        ).map((recorded): GroupItemResult<MatchEvent> =>
          recorded instanceof Error ? { error: recorded } : { created: recorded.created, result: recorded.event },
        ),
      ),
    );
    const count = (kind: IngestOutcomeKind) => outcomes.filter((o) => o.outcome === kind).length;
    return {
      results: outcomes.map((o) => ({ index: o.index, outcome: o.outcome, event: o.result, error: o.error })),
      recorded: count('RECORDED'),
      duplicates: count('DUPLICATE'),
      rejected: count('REJECTED'),
    };
  }

  private async recordEventOnce(input: NewMatchEvent): Promise<RecordedEvent> {
    let recorded: RecordedEvent | MatchEvent;
    try {
      recorded = await this.writeOneEvent(input);
    } catch (error) {
      // The key is taken: by this very event (a repeated delivery, answered with it) or by another one.
      const raced = error instanceof ConflictError ? await findEvent(ormStatements(this.deps.em), input) : null;
      if (!raced) throw error;
      recorded = sameEvent(raced, input);
    }
    return this.afterCommit(recorded, input);
  }

  /**
   * Events of one match (a batch's group), in order, in one transaction: the match is locked and
   * its in-play inputs read once, then (`together`) one statement for all of them when all are new
   * and possible, else one statement per event. An event refused with an AppError is answered with
   * it and the others go on; any other error rolls the group back and is thrown.
   */
  private async recordEventsOfMatch(inputs: NewMatchEvent[], together = true): Promise<(RecordedEvent | Error)[]> {
    let written: (RecordedEvent | MatchEvent | Error)[];
    try {
      written = await this.writeEventsOfMatch(inputs, together);
    } catch (error) {
      // A key taken already (a repeat): event by event, each answered as such.
      if (error instanceof KeysTaken) return this.recordEventsOfMatch(inputs, false);
      // A key raced by another delivery: one event at a time sorts out which is which.
      if (error instanceof ConflictError) return this.recordEachOf(inputs);
      if (!isAppError(error)) throw error;
      written = inputs.map(() => error);
    }
    // The group's match changed in one commit: its cached row and the shared responses are
    // dropped once for the group, not once per event (each a Redis call and message in production).
    const changed = written.some((result) => !(result instanceof Error) && !(result instanceof MatchEvent));
    if (changed) await this.invalidated(inputs[0]!.matchId);
    const answers: (RecordedEvent | Error)[] = [];
    for (const [k, result] of written.entries()) {
      const input = inputs[k]!;
      if (result instanceof Error) {
        this.deps.onEvent?.('rejected', input.type);
        answers.push(result);
        continue;
      }
      const recorded = await this.afterCommit(result, input, changed);
      this.deps.onEvent?.(recorded.created ? 'recorded' : 'duplicate', input.type);
      answers.push(recorded);
    }
    return answers;
  }

  private async writeEventsOfMatch(
    inputs: NewMatchEvent[],
    together: boolean,
  ): Promise<(RecordedEvent | MatchEvent | Error)[]> {
    // One event (a feed's usual post): two round trips, as `recordEvent`'s.
    if (inputs.length === 1) return [await this.writeOneEvent(inputs[0]!)];
    return this.transaction(async (em) => {
      const locked = await this.lockForEvents(em, inputs[0]!);
      const grouped = together ? await this.writeGroup(em, locked, inputs) : null;
      if (grouped) return grouped;
      const results: (RecordedEvent | MatchEvent | Error)[] = [];
      for (const input of inputs) {
        try {
          results.push(await this.writeNewEvent(ormStatements(em), locked, input));
        } catch (error) {
          if (!isAppError(error)) throw error;
          results.push(error);
        }
      }
      return results;
    });
  }

  private async recordEachOf(inputs: NewMatchEvent[]): Promise<(RecordedEvent | Error)[]> {
    const answers: (RecordedEvent | Error)[] = [];
    for (const input of inputs) {
      try {
        answers.push(await this.recordEvent(input));
      } catch (error) {
        if (!isAppError(error)) throw error;
        answers.push(error);
      }
    }
    return answers;
  }

  // A new event is pushed; a repeated delivery is answered with the match as it is now.
  private async afterCommit(
    recorded: RecordedEvent | MatchEvent,
    input: NewMatchEvent,
    invalidated = false,
  ): Promise<RecordedEvent> {
    if (recorded instanceof MatchEvent) {
      return { event: recorded, match: await this.getById(input.matchId), created: false, prediction: null };
    }
    await this.pushed(recorded, invalidated);
    return recorded;
  }

  // After the commit: the match and its in-play prediction, as one event's updates.
  private pushed(recorded: RecordedEvent, invalidated = false): Promise<void> {
    return inSpan('live.publish', { 'matchcast.match.id': recorded.match.id }, () =>
      this.publishRecorded(recorded, invalidated),
    );
  }

  private async publishRecorded(recorded: RecordedEvent, invalidated: boolean): Promise<void> {
    // Committed: the start of the event's push lag, as subscribers' processes will measure it.
    const recordedAt = Date.now();
    if (!invalidated) await this.invalidated(recorded.match.id);
    this.announced(recorded.match, recordedAt);
    if (recorded.live) this.deps.pubSub.publish(Topic.LIVE_UPDATE, { ...recorded.live, recordedAt });
    if (recorded.prediction) {
      // With the rows: subscribers need not read them back (see live/live.payloads.ts).
      this.deps.pubSub.publish(Topic.PREDICTION_UPDATED, recorded.match.id, {
        ...predictionUpdatedPayload(recorded.prediction, recorded.match),
        recordedAt,
      });
    }
  }

  /**
   * Cancels an event (`changes: null`: a goal ruled out, a card rescinded) or corrects it (type,
   * minute, team, detail, added minutes): the match's score and status are replayed from the
   * events that remain, a new in-play prediction is made from them, the correction is audited,
   * and all of it is pushed as an event would be. A key re-sent later stays as corrected.
   */
  async correctEvent(eventId: number, changes: EventChanges | null, signedBy?: string): Promise<RecordedEvent> {
    const corrected = await this.transaction((em) => this.applyCorrection(em, eventId, changes, signedBy));
    await this.pushed(corrected);
    return corrected;
  }

  private async applyCorrection(
    em: EntityManager,
    eventId: number,
    changes: EventChanges | null,
    signedBy: string | undefined,
  ): Promise<RecordedEvent> {
    const [owner] = await selectRows<{ match_id: number; source: string }>(
      em,
      'select match_id, source from match_event where id = ?::bigint',
      [eventId],
    );
    if (!owner) throw new NotFoundError('MatchEvent', eventId);
    await this.checkCorrectable(owner.source, signedBy);
    // The match's row lock serialises corrections with new events of the match.
    const [row] = await selectRows<MatchRow>(em, `select ${MATCH_COLUMNS} from match where id = ? for update`, [
      owner.match_id,
    ]);
    const match = matchFromRow(row!);
    const rows = await selectRows<MatchEventRow>(
      em,
      `select ${EVENT_COLUMNS} from match_event where match_id = ? order by id`,
      [match.id],
    );
    const target = rows.find((r) => r.id === eventId)!;
    if (target.cancelled_at !== null) throw new InvalidStateError('This event is cancelled already');
    const now = new Date();
    const updated: MatchEventRow = changes
      ? {
          ...target,
          type: changes.type ?? target.type,
          minute: changes.minute ?? target.minute,
          team_id: changes.teamId === undefined ? target.team_id : changes.teamId,
          detail: changes.detail === undefined ? target.detail : changes.detail,
          added_minutes: changes.addedMinutes === undefined ? target.added_minutes : changes.addedMinutes,
        }
      : { ...target, cancelled_at: now.toISOString() };
    if (changes && CORRECTABLE.every((column) => updated[column] === target[column])) {
      // Nothing to store, replay or push: a correction that changes nothing is a caller's mistake.
      throw new BadUserInputError(
        'The correction changes nothing: give a type, minute, team, detail or added minutes that differ',
        'input',
      );
    }
    if (changes) updated.corrected_at = now.toISOString();
    const events = rows.map((r) => (r.id === eventId ? updated : r));
    const after = replayEvents(
      events.map((e) => ({
        type: e.type,
        minute: e.minute,
        side: sideOf(match, e.team_id ?? undefined),
        addedMinutes: e.added_minutes,
        cancelled: e.cancelled_at !== null,
      })),
    );
    await selectRows(
      em,
      `update match_event set type = ?, minute = ?, team_id = ?, detail = ?, added_minutes = ?, cancelled_at = ?,
              corrected_at = coalesce(?, corrected_at)
        where id = ?`,
      [
        updated.type,
        updated.minute,
        updated.team_id,
        updated.detail,
        updated.added_minutes,
        changes ? null : now,
        changes ? now : null,
        eventId,
      ],
    );
    await selectRows(
      em,
      `update match set ${STATE_COLUMNS.map(([, column]) => `${column} = ?`).join(', ')}, updated_at = ? where id = ?`,
      [...STATE_COLUMNS.map(([key]) => after[key]), now, match.id],
    );
    const afterMatch = Object.assign(match, after, { updatedAt: now });
    const [inputs] = await selectRows<InPlayInputsRow>(
      em,
      `select ${IN_PLAY_INPUTS.columns} from match m ${IN_PLAY_INPUTS.joins} where m.id = ?`,
      [match.id],
    );
    const replayed = events.filter((e) => e.cancelled_at === null).map((e) => e.type);
    const prediction = isPastRegularTime(after.status, replayed)
      ? null
      : newInPlayPrediction(afterMatch, inputs!, null);
    const predicted = prediction ? inPlayPredictionInsertFrom('source', prediction) : null;
    const [stored] = predicted
      ? await selectRows<{ id: number }>(em, `with source as (select 1) ${predicted.sql}`, predicted.params)
      : [];
    audit(
      em,
      this.deps.principal,
      changes ? 'match.event.correct' : 'match.event.cancel',
      {
        type: 'MatchEvent',
        id: eventId,
      },
      { before: eventChangeOf(target), after: changes ? eventChangeOf(updated) : null },
    );
    const storedPrediction = prediction && stored ? storedInPlayPrediction(prediction, stored.id) : null;
    const eventRow = { ...updated, cancelled_at: changes ? null : now.toISOString() };
    const live = await appendLiveUpdate(
      em,
      LiveUpdateKind.EVENT_CORRECTED,
      {
        match: toMatchSnapshot(afterMatch),
        event: eventRow,
        prediction: storedPrediction ? toPredictionSnapshot(storedPrediction) : null,
      },
      now,
    );
    // No event is created: the one there was is cancelled or corrected.
    return { event: eventFromRow(eventRow), match: afterMatch, created: false, prediction: storedPrediction, live };
  }

  /**
   * A signed source's events are its own: corrected through its signed webhook (`signedBy`), or
   * over GraphQL by an OPERATOR key; an INGEST key, which any feed may hold, is refused, as it is
   * when it records under the source's name.
   */
  private async checkCorrectable(source: string, signedBy: string | undefined): Promise<void> {
    if (signedBy !== undefined) {
      if (source !== signedBy) throw new ForbiddenError(`This event came from another source than "${signedBy}"`);
      return;
    }
    if (holdsAnyScope(this.deps.principal?.scopes ?? [], [Scope.OPERATOR])) return;
    if (await secretOfSource(this.deps.em, this.deps.cache, source)) {
      throw new ForbiddenError(
        `This event came from the signed source "${source}": it corrects it through POST /ingest/corrections, or an OPERATOR key here`,
      );
    }
  }

  /**
   * A batch's events of one match in one statement, when every one of them is possible in turn
   * (otherwise null, nothing written: the caller goes event by event, which answers each). A taken
   * key (a repeat, or a conflict) throws KeysTaken to roll the statement back.
   */
  private async writeGroup(
    em: EntityManager,
    locked: LockedMatch,
    inputs: NewMatchEvent[],
  ): Promise<RecordedEvent[] | null> {
    const ahead: LockedMatch = { ...locked };
    const planned: PlannedEvent[] = [];
    for (const input of inputs) {
      try {
        planned.push(recomputed(ahead, input));
      } catch (error) {
        if (isAppError(error)) return null;
        throw error;
      }
      advance(ahead, planned.at(-1)!);
    }
    const { sql, params } = groupWriteStatement(planned, this.deps.principal);
    const rows = await writeRows<GroupWriteRow>(em, numberedParameters(sql), params);
    if (rows[0]!.inserted !== inputs.length) throw new KeysTaken();
    Object.assign(locked, ahead);
    return rows.map((row, k) =>
      recordedEvent(planned[k]!, {
        eventId: row.event_id,
        predictionId: row.prediction_id,
        seq: row.seq,
        competitionId: row.competition_id,
      }),
    );
  }

  /**
   * Locks the match of `input` and reads its in-play inputs. Plain rows and one statement per
   * event after this one: entity reads and flushes cost several times their SQL here, and so
   * does each round trip. The row lock serialises events of one match, so a repeat sees the
   * first delivery.
   */
  private async lockForEvents(em: EntityManager, input: NewMatchEvent): Promise<LockedMatch> {
    return lockedMatch(await selectPrepared<LockedRow>(em, LOCK_FOR_EVENTS, [input.matchId]), input);
  }

  /**
   * One event in one transaction of two round trips (db/pipelined-transaction.ts): BEGIN with the
   * match's lock, and the event's write with COMMIT. It answers as `transaction` would.
   */
  private async writeOneEvent(input: NewMatchEvent): Promise<RecordedEvent | MatchEvent> {
    const { transaction, rows } = await PipelinedTransaction.begin<LockedRow>(this.deps.em, LOCK_FOR_EVENTS, [
      input.matchId,
    ]);
    try {
      return await this.writeNewEvent(
        {
          read: (sql, params) => transaction.rows(sql, params),
          write: (sql, params) => transaction.commitWith(sql, params),
        },
        lockedMatch(rows, input),
        input,
      );
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new ConflictError(CONFLICT_MESSAGE);
      throw error;
    } finally {
      await transaction.end();
    }
  }

  /**
   * The new event, or the already recorded one when this is a repeated delivery; `locked` moves
   * on to the match and in-play inputs after it.
   */
  private async writeNewEvent(
    statements: EventStatements,
    locked: LockedMatch,
    input: NewMatchEvent,
  ): Promise<RecordedEvent | MatchEvent> {
    sideOf(locked.match, input.teamId); // a team not in the match is refused, repeated delivery or not
    let planned: PlannedEvent;
    try {
      planned = recomputed(locked, input);
    } catch (error) {
      // A repeated delivery is answered with the first one, whatever the match's state is now.
      const existing = isAppError(error) ? await findEvent(statements, input) : null;
      if (existing) return sameEvent(existing, input);
      throw error;
    }
    const { event, changed, after, now, prediction, body } = planned;
    const matchId = locked.match.id;
    const audited = auditInsertFrom('inserted', this.deps.principal, 'match.event.record', 'MatchEvent', {
      matchId,
      type: input.type,
      minute: input.minute,
    });
    const predicted = prediction ? inPlayPredictionInsertFrom('inserted', prediction) : null;
    const live = liveUpdateInsertFrom('inserted', LiveUpdateKind.EVENT_RECORDED, body, now);
    const columns = Object.keys(event);
    const updated = changed.length
      ? `, updated as (update match set ${changed.map(([, column]) => `${column} = ?, `).join('')}updated_at = ?
                        where id = ? and exists (select from inserted))`
      : '';
    // One statement: the event (unless its key is taken), the match, the audit row, the prediction
    // and the live-feed update.
    const [inserted] = await statements.write<{
      id: number;
      prediction_id: number | null;
      seq: number;
      competition_id: number;
    }>(
      numberedParameters(`with inserted as (insert into match_event (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})
                         on conflict (source, external_id) do nothing returning id)${updated},
            audited as (${audited.sql}),
            predicted as (${predicted?.sql ?? 'select null::int as id'}),
            live as (${live.sql})
       select id, (select id from predicted) as prediction_id, live.seq, live.competition_id from inserted, live`),
      [
        ...Object.values(event),
        ...(changed.length ? [...changed.map(([key]) => after[key]), now, matchId] : []),
        ...audited.params,
        ...(predicted?.params ?? []),
        ...live.params,
      ],
    );
    if (!inserted) {
      // The key is recorded already: a repeated delivery, or the key of another event (a conflict).
      const existing = await findEvent(statements, input);
      if (!existing) throw new ConflictError(`${input.source}/${input.externalId} could not be recorded`);
      return sameEvent(existing, input);
    }
    advance(locked, planned);
    return recordedEvent(planned, {
      eventId: inserted.id,
      predictionId: inserted.prediction_id,
      seq: inserted.seq,
      competitionId: inserted.competition_id,
    });
  }

  private async transaction<T>(work: (em: EntityManager) => Promise<T>, conflictMessage?: string): Promise<T> {
    try {
      return await this.deps.em.fork().transactional(work);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError(conflictMessage ?? CONFLICT_MESSAGE);
      }
      throw error;
    }
  }

  // Runs after commit: readers must never see the old row again, subscribers see the new one.
  private async published(match: Match): Promise<void> {
    await this.invalidated(match.id);
    this.announced(match);
  }

  private async invalidated(matchId: number): Promise<void> {
    await this.deps.cache.invalidate(cacheKeys.match(matchId));
    this.deps.sharedDataChanged();
  }

  private announced(match: Match, recordedAt?: number): void {
    const snapshot = toMatchSnapshot(match);
    this.deps.pubSub.publish(Topic.MATCH_UPDATED, match.id, recordedAt ? { ...snapshot, recordedAt } : snapshot);
  }
}

const MATCH_COLUMNS_OF_M = MATCH_COLUMNS.split(', ')
  .map((column) => `m.${column}`)
  .join(', ');

// bigint: an id beyond the int range is a match that does not exist, not a database error.
const LOCK_FOR_EVENTS = `select ${MATCH_COLUMNS_OF_M}, ${IN_PLAY_INPUTS.columns} from match m ${IN_PLAY_INPUTS.joins}
  where m.id = $1::bigint for update of m`;

const RESCHEDULABLE = new Set([MatchStatus.SCHEDULED, MatchStatus.POSTPONED]);

/**
 * A writing statement in the transaction of `em`, as a named prepared statement: its text has a
 * handful of shapes, and its parameters (the payloads' JSON among them) travel apart from it, so
 * neither side formats, escapes or parses kilobytes of literals per event. Driver errors become
 * MikroORM's (unique violations).
 */
async function writeRows<Row>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Row[]> {
  try {
    return await selectPrepared<Row>(em, sql, params);
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}

// `?`s as `$n`. The statements here have no `?` but their placeholders (no literal, no jsonb `?` operator).
function numberedParameters(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const CONFLICT_MESSAGE = 'this change conflicts with existing data';

type LockedRow = MatchRow & InPlayInputsRow;

function lockedMatch([row]: LockedRow[], input: NewMatchEvent): LockedMatch {
  if (!row) throw new NotFoundError('Match', input.matchId);
  return { row, match: matchFromRow(row), inputs: row };
}

/** How an event's statements run (`$n` parameters): `write` is its transaction's last. */
interface EventStatements {
  read<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
  write<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
}

/** Statements in the transaction of `em` (or on their own without one). */
function ormStatements(em: EntityManager): EventStatements {
  return {
    read: (sql, params) => selectPrepared(em, sql, params),
    write: (sql, params) => writeRows(em, sql, params),
  };
}

async function findEvent(statements: EventStatements, input: NewMatchEvent): Promise<MatchEvent | null> {
  const [row] = await statements.read<MatchEventRow>(
    `select ${EVENT_COLUMNS} from match_event where source = $1 and external_id = $2`,
    [input.source, input.externalId],
  );
  return row ? eventFromRow(row) : null;
}

/** A group's statement found a key taken: it is rolled back and the group goes one event at a time. */
class KeysTaken extends Error {}

function checkKickoffInSeason(kickoff: Date, season: Season): void {
  const day = kickoff.toISOString().slice(0, 10);
  if (day < season.startDate || day > season.endDate) {
    throw new BadUserInputError(
      `kickoff ${day} is outside season ${season.label} (${season.startDate} to ${season.endDate})`,
      'kickoff',
    );
  }
}

/**
 * A repeated delivery must describe the same event; reusing its key for another one is a
 * conflict. An event corrected since is the operator's: its key answers with it as corrected.
 */
function sameEvent(existing: MatchEvent, input: NewMatchEvent): MatchEvent {
  const corrected = existing.correctedAt != null;
  if (existing.match.id !== input.matchId || (existing.type !== input.type && !corrected)) {
    throw new ConflictError(`${input.source}/${input.externalId} was already recorded for another event`);
  }
  return existing;
}

function eventChangeOf(row: MatchEventRow) {
  return { type: row.type, minute: row.minute, teamId: row.team_id, detail: row.detail };
}

// One transaction of a match's events (and what it pushes), under the batch's `live.ingest`.
const RECORD_SPAN = 'live.record';

// The match's next state and its in-play prediction, computed from the event (no I/O).
function recomputed(locked: LockedMatch, input: NewMatchEvent): PlannedEvent {
  return inSpanSync('live.recompute', { 'matchcast.event.type': input.type }, () => planEvent(locked, input));
}
