import express, { type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { idOf, toGlobalId } from '../common/global-id';
import { authenticate, createContext, type AppDependencies } from '../context';
import { AppError, BadUserInputError, ForbiddenError, isAppError, UnauthenticatedError } from '../errors';
import { MAX_EVENTS_PER_BATCH, type BatchItem } from '../matches/ingest/event-batch';
import { secretOfSource } from '../matches/ingest/ingest-source.service';
import {
  checkSignature,
  SIGNATURE_HEADER,
  SOURCE_HEADER,
  type SignatureProblem,
} from '../matches/ingest/webhook-signature';
import { MatchEventType } from '../matches/match.enums';
import type { MatchEvent } from '../matches/match-event.entity';
import type { NewMatchEvent } from '../matches/match.service';
import { holdsAnyScope, Scope } from '../tenants/scope';
import { sendErrors } from './json-errors';
import { requestIdOf } from './request-id';

export const INGEST_EVENTS_PATH = '/ingest/events';

const eventSchema = z.object({
  matchId: z.string().max(200),
  type: z.enum(MatchEventType),
  minute: z.number().int().min(0).max(150),
  teamId: z.string().max(200).optional(),
  addedMinutes: z.number().int().optional(),
  detail: z.string().max(200).optional(),
  externalId: z.string().min(1).max(128),
});

const bodySchema = z.object({ events: z.array(z.unknown()).max(MAX_EVENTS_PER_BATCH) });

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
  return [
    express.raw({ type: () => true, limit: '1mb' }),
    (req, res, next) => {
      handle(deps, req, res).catch((error: unknown) => {
        if (!isAppError(error)) return next(error);
        sendErrors(req, res, [withoutHttp(error)]);
      });
    },
  ];
}

async function handle(deps: AppDependencies, req: Request, res: Response): Promise<void> {
  const auth = await authenticate(deps, req.headers);
  if (!auth.principal) throw new UnauthenticatedError(auth.authFailure ?? undefined);
  if (!holdsAnyScope(auth.principal.scopes, [Scope.INGEST, Scope.OPERATOR])) {
    throw new ForbiddenError('Posting events needs a key with the INGEST or OPERATOR scope');
  }
  const source = req.get(SOURCE_HEADER);
  if (!source) throw new BadUserInputError(`The ${SOURCE_HEADER} header names the source`, SOURCE_HEADER);
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const secret = await secretOfSource(deps.orm.em, source);
  // An unknown source reads as a bad signature: the caller learns nothing of which exist.
  const problem = secret ? checkSignature(secret, body, req.get(SIGNATURE_HEADER), Date.now() / 1000) : 'mismatch';
  if (problem) throw new UnauthenticatedError(SIGNATURE_MESSAGES[problem]);
  const items = parseBody(body).map((event, index) => batchItemOf(index, event, source));
  const context = createContext(deps, auth, requestIdOf(req));
  const payload = await context.services.matches.ingestEvents(items);
  res.json({
    ...payload,
    results: payload.results.map((r) => ({ ...r, event: r.event ? eventJson(r.event) : null })),
  });
}

function parseBody(body: Buffer): unknown[] {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadUserInputError('The body must be JSON: { "events": [...] }');
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) {
    throw new BadUserInputError(`The body must be { "events": [...] } with at most ${MAX_EVENTS_PER_BATCH} events`);
  }
  return parsed.data.events;
}

function batchItemOf(index: number, raw: unknown, source: string): BatchItem<NewMatchEvent> {
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { index, error: new BadUserInputError(`${issue.path.join('.') || 'event'}: ${issue.message}`) };
  }
  try {
    const e = parsed.data;
    const matchId = idOf('Match', e.matchId, 'matchId');
    const teamId = e.teamId ? idOf('Team', e.teamId, 'teamId') : undefined;
    return { index, matchId, input: { ...e, matchId, teamId, source } };
  } catch (error) {
    return { index, error };
  }
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
  };
}

function withoutHttp(error: AppError) {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return { message: error.message, extensions };
}
