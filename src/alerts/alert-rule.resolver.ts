import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { idOf, toGlobalId } from '../common/global-id';
import { Competition } from '../competitions/competition.entity';
import type { AppContext } from '../context';
import { BadUserInputError } from '../errors';
import { Match } from '../matches/match.entity';
import { Team } from '../teams/team.entity';
import { targetOf, type Target } from '../watchlists/watch-target';
import { AlertRule } from './alert-rule.entity';
import { AlertScopeInput, CreateAlertRuleInput, UpdateAlertRuleInput } from './alert.inputs';

@Resolver(() => AlertRule)
export class AlertRuleResolver {
  @Query(() => [AlertRule], { description: "Your tenant's alert rules, oldest first." })
  alertRules(@Ctx() ctx: AppContext): Promise<AlertRule[]> {
    return ctx.services.alertRules.list();
  }

  @Mutation(() => AlertRule, {
    description: "Creates an alert rule; at most the plan's limit per tenant. Needs ANALYST.",
  })
  createAlertRule(
    @Arg('input', () => CreateAlertRuleInput) input: CreateAlertRuleInput,
    @Ctx() ctx: AppContext,
  ): Promise<AlertRule> {
    return ctx.services.alertRules.create({
      name: input.name ?? null,
      kind: input.kind,
      threshold: input.threshold,
      target: scopeTargetOf(input.scope),
      modelName: input.modelName ?? null,
    });
  }

  @Mutation(() => AlertRule, {
    description: 'Enables or disables a rule, or changes its threshold or name. Needs ANALYST.',
  })
  updateAlertRule(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateAlertRuleInput) input: UpdateAlertRuleInput,
    @Ctx() ctx: AppContext,
  ): Promise<AlertRule> {
    return ctx.services.alertRules.update(idOf('AlertRule', id), {
      name: input.name,
      threshold: input.threshold ?? undefined,
      enabled: input.enabled ?? undefined,
    });
  }

  @Mutation(() => ID, { description: 'Deletes a rule (its past alerts stay); returns its ID. Needs ANALYST.' })
  async deleteAlertRule(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return toGlobalId('AlertRule', await ctx.services.alertRules.delete(idOf('AlertRule', id)));
  }

  @FieldResolver(() => Match, { nullable: true, description: 'The match of a MATCH rule.' })
  match(@Root() rule: AlertRule, @Ctx() ctx: AppContext): Promise<Match | null> | null {
    return rule.match ? ctx.loaders.matchById.load(rule.match.id) : null;
  }

  @FieldResolver(() => Team, { nullable: true, description: 'The team of a TEAM rule.' })
  team(@Root() rule: AlertRule, @Ctx() ctx: AppContext): Promise<Team | null> | null {
    return rule.team ? ctx.loaders.teamById.load(rule.team.id) : null;
  }

  @FieldResolver(() => Competition, { nullable: true, description: 'The competition of a COMPETITION rule.' })
  competition(@Root() rule: AlertRule, @Ctx() ctx: AppContext): Promise<Competition | null> | null {
    return rule.competition ? ctx.loaders.competitionById.load(rule.competition.id) : null;
  }
}

/** The scope's match, team or competition; null for the watchlist. */
function scopeTargetOf(scope: AlertScopeInput): Target | null {
  const named = scope.matchId != null || scope.teamId != null || scope.competitionId != null;
  if (scope.watchlist) {
    if (named) throw new BadUserInputError('input.scope takes watchlist or one ID, not both', 'input.scope');
    return null;
  }
  if (!named) {
    throw new BadUserInputError(
      'input.scope needs one of matchId, teamId, competitionId or watchlist: true',
      'input.scope',
    );
  }
  return targetOf(scope, 'input.scope');
}
