import { LockMode } from '@mikro-orm/core';
import { inTenantScope, selectTenantRows } from '../db/tenant-scope';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { observed } from '../db/batch';
import type { Principal } from '../auth/principal';
import { toGlobalId } from '../common/global-id';
import { Competition } from '../competitions/competition.entity';
import { selectRows } from '../db/select';
import { BadUserInputError, LimitExceededError, NotFoundError } from '../errors';
import { Match } from '../matches/match.entity';
import { Team } from '../teams/team.entity';
import { audit } from '../tenants/audit';
import { Tenant } from '../tenants/tenant.entity';
import { tenantIdOf } from '../watchlists/tenant-of';
import { checkTargetExists, targetColumns, type Target } from '../watchlists/watch-target';
import { AlertRule } from './alert-rule.entity';
import { maxAlertRulesOf } from './alert-rule.limits';
import { checkThreshold } from './alert.conditions';
import { AlertScope, type AlertKind } from './alert.enums';
import { ALERT_RULE_COLUMNS, alertRuleFromRow, type AlertRuleRow } from './alert.views';

export interface NewAlertRule {
  name: string | null;
  kind: AlertKind;
  threshold: number;
  /** The scope's match, team or competition; null for WATCHLIST. */
  target: Target | null;
  modelName: string | null;
}

export interface AlertRuleChanges {
  /** undefined: unchanged; null: removed. */
  name?: string | null;
  threshold?: number;
  enabled?: boolean;
}

const SCOPE_OF_TARGET = { Match: AlertScope.MATCH, Team: AlertScope.TEAM, Competition: AlertScope.COMPETITION };

/** The caller's tenant's alert rules. Every statement has the tenant in its condition. */
export class AlertRuleService {
  // Made on first use: most requests never look a row up by id.
  private loader: DataLoader<number, AlertRule | null> | undefined;

  constructor(private readonly deps: { em: EntityManager; principal: Principal | null }) {}

  private get byIdLoader(): DataLoader<number, AlertRule | null> {
    // Traced like the request's other loaders (db/batch.ts).
    this.loader ??= new DataLoader(
      observed({ name: 'alertRuleById' }, async (ids: readonly number[]) => {
        const rows = await selectTenantRows<AlertRuleRow>(
          this.deps.em,
          tenantIdOf(this.deps.principal),
          `select ${ALERT_RULE_COLUMNS} from alert_rule where tenant_id = ? and id in (?)`,
          [tenantIdOf(this.deps.principal), ids],
        );
        const byId = new Map(rows.map((row) => [row.id, alertRuleFromRow(row)]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
    );
    return this.loader;
  }

  /** Oldest first. */
  async list(): Promise<AlertRule[]> {
    const rows = await selectTenantRows<AlertRuleRow>(
      this.deps.em,
      tenantIdOf(this.deps.principal),
      `select ${ALERT_RULE_COLUMNS} from alert_rule where tenant_id = ? order by id`,
      [tenantIdOf(this.deps.principal)],
    );
    return rows.map(alertRuleFromRow);
  }

  /** One of the tenant's rules; null for another tenant's, as for one that does not exist. */
  byId(id: number): Promise<AlertRule | null> {
    return this.byIdLoader.load(id);
  }

  /** Hands `rule` (one of the tenant's, e.g. from an alert's payload) to later `byId` calls. */
  prime(rule: AlertRule): void {
    this.byIdLoader.prime(rule.id, rule);
  }

  /** LIMIT_EXCEEDED when the tenant holds as many rules as its plan allows. */
  async create(input: NewAlertRule): Promise<AlertRule> {
    const tenantId = tenantIdOf(this.deps.principal);
    checkThreshold(input.kind, input.threshold);
    return inTenantScope(this.deps.em, tenantIdOf(this.deps.principal), async (em) => {
      // Creations of one tenant wait for each other here, so the count below stays true (`no key`:
      // inserts referencing the tenant, audit rows say, need not wait).
      await selectRows(em, 'select id from tenant where id = ? for no key update', [tenantId]);
      const [{ count }] = (await selectRows<{ count: number }>(
        em,
        'select count(*)::int as count from alert_rule where tenant_id = ?',
        [tenantId],
      )) as [{ count: number }];
      const limit = await maxAlertRulesOf(em, tenantId);
      if (count >= limit) {
        throw new LimitExceededError(`Your plan allows ${limit} alert rules; delete one to create another`, limit);
      }
      if (input.target) await checkTargetExists(em, input.target);
      const ids = input.target ? targetColumns(input.target) : { team: null, match: null, competition: null };
      const rule = em.create(AlertRule, {
        tenant: em.getReference(Tenant, tenantId),
        name: input.name,
        kind: input.kind,
        threshold: input.threshold,
        scope: input.target ? SCOPE_OF_TARGET[input.target.kind] : AlertScope.WATCHLIST,
        match: ids.match === null ? null : em.getReference(Match, ids.match),
        team: ids.team === null ? null : em.getReference(Team, ids.team),
        competition: ids.competition === null ? null : em.getReference(Competition, ids.competition),
        modelName: input.modelName,
      });
      await em.flush();
      audit(
        em,
        this.deps.principal,
        'alertRule.create',
        { type: 'AlertRule', id: rule.id },
        {
          kind: input.kind,
          threshold: input.threshold,
          scope: rule.scope,
          target: input.target ? toGlobalId(input.target.kind, input.target.id) : null,
          modelName: input.modelName,
        },
      );
      return rule;
    });
  }

  /** NOT_FOUND for another tenant's rule. */
  async update(id: number, changes: AlertRuleChanges): Promise<AlertRule> {
    const tenantId = tenantIdOf(this.deps.principal);
    if (changes.name === undefined && changes.threshold === undefined && changes.enabled === undefined) {
      throw new BadUserInputError('nothing to update: give name, threshold or enabled', 'input');
    }
    return inTenantScope(this.deps.em, tenantIdOf(this.deps.principal), async (em) => {
      const rule = await em.findOne(AlertRule, { id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!rule) throw new NotFoundError('AlertRule', id);
      if (changes.threshold !== undefined) {
        checkThreshold(rule.kind, changes.threshold);
        rule.threshold = changes.threshold;
      }
      if (changes.enabled !== undefined) rule.enabled = changes.enabled;
      if (changes.name !== undefined) rule.name = changes.name;
      rule.updatedAt = new Date();
      audit(em, this.deps.principal, 'alertRule.update', { type: 'AlertRule', id }, { ...changes });
      return rule;
    });
  }

  /** NOT_FOUND for another tenant's rule. Its past alerts stay (without their rule). Returns its id. */
  async delete(id: number): Promise<number> {
    const tenantId = tenantIdOf(this.deps.principal);
    return inTenantScope(this.deps.em, tenantIdOf(this.deps.principal), async (em) => {
      const deleted = await selectRows<{ id: number }>(
        em,
        'delete from alert_rule where id = ? and tenant_id = ? returning id',
        [id, tenantId],
      );
      if (deleted.length === 0) throw new NotFoundError('AlertRule', id);
      audit(em, this.deps.principal, 'alertRule.delete', { type: 'AlertRule', id });
      return id;
    });
  }
}
