import { filter, pipe } from '@graphql-yoga/subscription';
import {
  Args,
  Ctx,
  FieldResolver,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { PageArgs, parsePage, type Connection } from '../common/connection';
import { loadRequired } from '../common/loaded';
import type { AppContext } from '../context';
import { UnauthenticatedError } from '../errors';
import { fromPredictionSnapshot } from '../live/prediction.snapshot';
import { Match } from '../matches/match.entity';
import { matchFromSnapshot } from '../matches/match.snapshot';
import { Prediction } from '../predictions/prediction.entity';
import { Topic } from '../pubsub/topics';
import { AlertEvent } from './alert-event.entity';
import { AlertEventConnection } from './alert-event.types';
import { AlertRule } from './alert-rule.entity';
import type { AlertTriggeredPayload } from './alert.snapshot';
import { alertEventFromRow, alertRuleFromRow } from './alert.views';

// Runs at subscribe time, before any event: the tenant's own topic, and (a second layer) only
// alerts of that tenant pass.
function subscribeToTenantAlerts({ context }: SubscribeResolverData<unknown, object, AppContext>) {
  if (!context.principal) throw new UnauthenticatedError(context.authFailure ?? undefined);
  const tenantId = context.principal.tenantId;
  return pipe(
    context.pubSub.subscribe(Topic.ALERT_TRIGGERED, tenantId),
    filter((payload: AlertTriggeredPayload) => payload.alert.tenant_id === tenantId),
  );
}

@Resolver(() => AlertEvent)
export class AlertEventResolver {
  @Query(() => AlertEventConnection, { description: "Your tenant's alerts, newest first." })
  alertEvents(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AppContext): Promise<Connection<AlertEvent>> {
    const { limit, after } = parsePage(page, ctx.config.maxPageSize);
    return ctx.services.alertEvents.page(limit, after);
  }

  @Subscription(() => AlertEvent, {
    description: "Each alert of your tenant's rules as it fires (never another tenant's).",
    subscribe: subscribeToTenantAlerts,
  })
  alertTriggered(@Root() payload: AlertTriggeredPayload, @Ctx() ctx: AppContext): AlertEvent {
    // New unit of work per event; the payload's rows prime the loaders, so nothing is read back.
    ctx.renewScope();
    ctx.services.alertRules.prime(alertRuleFromRow(payload.rule));
    if (payload.match) ctx.loaders.matchById.prime(payload.match.id, matchFromSnapshot(payload.match));
    if (payload.prediction) {
      ctx.loaders.predictionById.prime(payload.prediction.id, fromPredictionSnapshot(payload.prediction));
    }
    return alertEventFromRow(payload.alert);
  }

  @FieldResolver(() => AlertRule, { nullable: true, description: 'Null once the rule is deleted.' })
  rule(@Root() alert: AlertEvent, @Ctx() ctx: AppContext): Promise<AlertRule | null> | null {
    return alert.rule ? ctx.services.alertRules.byId(alert.rule.id) : null;
  }

  @FieldResolver(() => Match)
  match(@Root() alert: AlertEvent, @Ctx() ctx: AppContext): Promise<Match> {
    return loadRequired(ctx.loaders.matchById, alert.match.id, 'Match');
  }

  @FieldResolver(() => Prediction, {
    nullable: true,
    description: 'The prediction that fired it; null once replaced (a refresh replaces pre-match predictions).',
  })
  prediction(@Root() alert: AlertEvent, @Ctx() ctx: AppContext): Promise<Prediction | null> | null {
    return alert.prediction ? ctx.loaders.predictionById.load(alert.prediction.id) : null;
  }
}
