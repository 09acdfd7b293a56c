import express, { type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { idOf, toGlobalId } from '../common/global-id';
import { pathWithNul } from '../common/reject-nul-bytes';
import { authenticate, createContext, type AppContext, type AppDependencies } from '../context';
import {
  AppError,
  BadUserInputError,
  ForbiddenError,
  isAppError,
  RateLimitedError,
  UnauthenticatedError,
} from '../errors';
import { MAX_EVENTS_PER_BATCH, type BatchItem } from '../matches/ingest/event-batch';
import { secretOfSource } from '../matches/ingest/ingest-source.service';
import {
  checkSignature,
  newSourceSecret,
  SIGNATURE_HEADER,
  SOURCE_HEADER,
  type SignatureProblem,
} from '../matches/ingest/webhook-signature';
import { MatchEventType, OddsMarket } from '../matches/match.enums';
import type { Odds } from '../matches/odds.entity';
import { oddsItemOf } from '../matches/odds/odds-ingest.resolver';
import type { NewOdds } from '../matches/odds/odds-ingest.service';
import type { MatchEvent } from '../matches/match-event.entity';
import type { NewMatchEvent } from '../matches/match.service';
import { applySourceCorrections, type SourceCorrection } from '../matches/ingest/source-corrections';
import { holdsAnyScope, Scope } from '../tenants/scope';
import { sendErrors } from './json-errors';
import { requestIdOf } from './request-id';

export const INGEST_EVENTS_PATH = '/ingest/events';
export const INGEST_ODDS_PATH = '/ingest/odds';
export const INGEST_CORRECTIONS_PATH = '/ingest/corrections';

const eventSchema = z.object({
  matchId: z.string().max(200),
  type: z.enum(MatchEventType),
  minute: z.number().int().min(0).max(150),
  teamId: z.string().max(200).optional(),
  addedMinutes: z.number().int().optional(),
  detail: z.string().max(200).optional(),
  externalId: z.string().min(1).max(128),
});

const oddsSchema = z.object({
  matchId: z.string().max(200),
  bookmaker: z.string().max(64),
  market: z.enum(OddsMarket),
  line: z.number().default(0),
  prices: z.array(z.number()).max(3),
  takenAt: z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
});

const correctionSchema = z
  .object({
    externalId: z.string().min(1).max(128),
    cancel: z.literal(true).optional(),
    type: z.enum(MatchEventType).optional(),
    minute: z.number().int().min(0).max(150).optional(),
    teamId: z.string().max(200).nullable().optional(),
    addedMinutes: z.number().int().nullable().optional(),
    detail: z.string().max(200).nullable().optional(),
  })
  .strict()
  .refine(({ externalId: _key, cancel, ...changes }) => !cancel || Object.keys(changes).length === 0, {
    message: 'a correction either cancels the event ("cancel": true) or changes its fields, not both',
  });

const NO_SOURCE_SECRET = newSourceSecret();

const SIGNATURE_MESSAGES: Record<SignatureProblem, string> = {
  missing: `The ${SIGNATURE_HEADER} header is missing`,
  malformed: `The ${SIGNATURE_HEADER} header must be t=<unix seconds>,v1=<hex HMAC-SHA256>`,
  expired: `The ${SIGNATURE_HEADER} timestamp is too far from the server's clock (more than 300 s)`,
  mismatch: `The ${SIGNATURE_HEADER} does not match the body for this source`,
};

/**
 * `POST /ingest/events` for feeds that do not speak GraphQL: an API key with the INGEST or
 * OPERATOR scope, plus the source's HMAC-SHA256 signature of the raw body with a timestamp
 * (Stripe's scheme, see webhook-signature.ts). The body is `{ "events": [...] }` with the fields
 * of `RecordMatchEventInput` (the source is the header's); the answer is that of
 * `ingestMatchEvents`, as JSON.
 */
export function ingestWebhook(deps: AppDependencies): RequestHandler[] {
  return webhook(deps, 'events', async (context, items, source) => {
    const payload = await context.services.matches.ingestEvents(
      items.map((event, index) => eventItemOf(index, event, source)),
    );
    return {
      ...payload,
      results: payload.results.map((r) => ({ ...r, event: r.event ? eventJson(r.event) : null })),
    };
  });
}

/**
 * `POST /ingest/odds`: as `/ingest/events`, for bookmaker prices: `{ "prices": [...] }` with the
 * fields of `IngestOddsInput`; the answer is that of `ingestOdds`, as JSON.
 */
export function ingestOddsWebhook(deps: AppDependencies): RequestHandler[] {
  return webhook(deps, 'prices', async (context, items) => {
    const payload = await context.services.odds.ingest(items.map((price, index) => priceItemOf(index, price)));
    return {
      ...payload,
      results: payload.results.map((r) => ({ ...r, odds: r.odds ? oddsJson(r.odds) : null })),
    };
  });
}

/**
 * `POST /ingest/corrections`: a signed source takes back or fixes its own events, named by the
 * keys it sent them with: `{ "corrections": [{ "externalId", "cancel": true } | { "externalId",
 * "type"?, "minute"?, "teamId"?, "detail"?, "addedMinutes"? }] }`, applied in order as
 * `cancelMatchEvent` / `correctMatchEvent` apply one.
 */
export function ingestCorrectionsWebhook(deps: AppDependencies): RequestHandler[] {
  return webhook(deps, 'corrections', async (context, items, source) => {
    const answer = await applySourceCorrections(
      deps.orm.em,
      context.services.matches,
      source,
      items.map((correction, index) => correctionItemOf(index, correction)),
    );
    return {
      ...answer,
      results: answer.results.map((r) => ({ ...r, event: r.event ? eventJson(r.event) : null })),
    };
  });
}

type Ingest = (context: AppContext, items: unknown[], source: string) => Promise<unknown>;

function webhook(deps: AppDependencies, listName: string, ingest: Ingest): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: '1mb' }),
    (req, res, next) => {
      handle(deps, req, listName, ingest)
        .then((answer) => res.json(answer))
        .catch((error: unknown) => {
          if (!isAppError(error)) return next(error);
          if (error instanceof RateLimitedError) res.set('retry-after', String(error.retryAfter));
          sendErrors(req, res, [withoutHttp(error)]);
        });
    },
  ];
}

async function handle(deps: AppDependencies, req: Request, listName: string, ingest: Ingest): Promise<unknown> {
  const auth = await authenticate(deps, req.headers);
  if (!auth.principal) throw new UnauthenticatedError(auth.authFailure ?? undefined);
  if (!holdsAnyScope(auth.principal.scopes, [Scope.INGEST, Scope.OPERATOR])) {
    throw new ForbiddenError(`Posting ${listName} needs a key with the INGEST or OPERATOR scope`);
  }
  // Counted as the mutation it stands for; a refused post (429, Retry-After) reads nothing more.
  await deps.quotas.admitWebhook(auth.principal);
  const source = req.get(SOURCE_HEADER);
  if (!source) throw new BadUserInputError(`The ${SOURCE_HEADER} header names the source`, SOURCE_HEADER);
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const secret = await secretOfSource(deps.orm.em, deps.cache, source);
  // An unknown source is checked against a secret nobody holds, so it answers as a known one with
  // a wrong signature would (missing, malformed, expired, mismatch): no answer tells which exist.
  const problem = checkSignature(secret ?? NO_SOURCE_SECRET, body, req.get(SIGNATURE_HEADER), Date.now() / 1000);
  if (problem) throw new UnauthenticatedError(SIGNATURE_MESSAGES[problem]);
  const items = parseBody(body, listName);
  return ingest(createContext(deps, auth, requestIdOf(req)), items, source);
}

function parseBody(body: Buffer, listName: string): unknown[] {
  const shape = `{ "${listName}": [...] }`;
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadUserInputError(`The body must be JSON: ${shape}`);
  }
  const list = (json as Record<string, unknown> | null)?.[listName];
  // A list over MAX_EVENTS_PER_BATCH is the services' LIMIT_EXCEEDED, as over GraphQL.
  if (!Array.isArray(list)) {
    throw new BadUserInputError(`The body must be ${shape} with at most ${MAX_EVENTS_PER_BATCH} items`);
  }
  return list as unknown[];
}

/**
 * A webhook item, checked against `schema` and for U+0000 (which PostgreSQL text cannot hold, as
 * the GraphQL path refuses it): its error (a bad field) rejects that item only.
 */
function checkedItem<T>(schema: z.ZodType<T>, raw: unknown, what: string): T | { error: BadUserInputError } {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: new BadUserInputError(`${issue.path.join('.') || what}: ${issue.message}`) };
  }
  const nul = pathWithNul(parsed.data);
  if (nul) return { error: new BadUserInputError(`${nul}: must not contain the NUL character (U+0000)`, nul) };
  return parsed.data;
}

function eventItemOf(index: number, raw: unknown, source: string): BatchItem<NewMatchEvent> {
  const e = checkedItem(eventSchema, raw, 'event');
  if ('error' in e) return { index, error: e.error };
  try {
    const matchId = idOf('Match', e.matchId, 'matchId');
    const teamId = e.teamId ? idOf('Team', e.teamId, 'teamId') : undefined;
    return { index, matchId, input: { ...e, matchId, teamId, source } };
  } catch (error) {
    return { index, error };
  }
}

function correctionItemOf(index: number, raw: unknown): SourceCorrection {
  const c = checkedItem(correctionSchema, raw, 'correction');
  if ('error' in c) return { index, error: c.error };
  const { externalId, cancel, teamId, ...fields } = c;
  if (cancel) return { index, externalId, changes: null };
  try {
    const team = teamId === undefined || teamId === null ? teamId : idOf('Team', teamId, 'teamId');
    return { index, externalId, changes: { ...fields, ...(team === undefined ? {} : { teamId: team }) } };
  } catch (error) {
    return { index, error };
  }
}

function priceItemOf(index: number, raw: unknown): BatchItem<NewOdds> {
  const price = checkedItem(oddsSchema, raw, 'price');
  if ('error' in price) return { index, error: price.error };
  return oddsItemOf(index, price);
}

function oddsJson(odds: Odds) {
  return {
    id: toGlobalId('Odds', odds.id),
    matchId: toGlobalId('Match', odds.match.id),
    bookmaker: odds.bookmaker,
    market: odds.market,
    line: odds.line,
    prices: odds.prices,
    takenAt: odds.takenAt?.toISOString() ?? null,
  };
}

function eventJson(event: MatchEvent) {
  return {
    id: toGlobalId('MatchEvent', event.id),
    matchId: toGlobalId('Match', event.match.id),
    type: event.type,
    minute: event.minute,
    teamId: event.team ? toGlobalId('Team', event.team.id) : null,
    addedMinutes: event.addedMinutes ?? null,
    detail: event.detail ?? null,
    source: event.source,
    externalId: event.externalId,
    cancelledAt: event.cancelledAt?.toISOString() ?? null,
    correctedAt: event.correctedAt?.toISOString() ?? null,
  };
}

function withoutHttp(error: AppError) {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return { message: error.message, extensions };
}
