import { idRef, readViewFactory } from '../db/read-view';
import { timestampOf } from '../db/select';
import { AlertEvent } from './alert-event.entity';
import { AlertRule } from './alert-rule.entity';
import type { AlertKind, AlertScope } from './alert.enums';
import type { AlertValues } from './alert.types';

// Every statement reading these rows takes the caller's tenant as a parameter (see the services);
// the evaluator alone reads rules of every tenant, and publishes each alert to its rule's tenant.

export const ALERT_RULE_COLUMNS =
  'id, tenant_id, name, kind, threshold, scope, match_id, team_id, competition_id, model_name, enabled, ' +
  'created_at, updated_at';

/** A rule row, JSON-safe as read (timestamps as text): also the rule's snapshot in pub/sub payloads. */
export interface AlertRuleRow {
  id: number;
  tenant_id: number;
  name: string | null;
  kind: AlertKind;
  threshold: number;
  scope: AlertScope;
  match_id: number | null;
  team_id: number | null;
  competition_id: number | null;
  model_name: string | null;
  enabled: boolean;
  created_at: string;
  updated_at: string;
}

export const ALERT_EVENT_COLUMNS =
  'id, tenant_id, rule_id, match_id, prediction_id, kind, threshold, "values", fired_at';

/** An alert row, JSON-safe as read: also the alert's snapshot in pub/sub payloads. */
export interface AlertEventRow {
  id: number;
  tenant_id: number;
  rule_id: number | null;
  match_id: number;
  prediction_id: number | null;
  kind: AlertKind;
  threshold: number;
  values: AlertValues;
  fired_at: string;
}

const alertRuleView = readViewFactory(AlertRule);
const alertEventView = readViewFactory(AlertEvent);

export function alertRuleFromRow(row: AlertRuleRow): AlertRule {
  return alertRuleView({
    id: row.id,
    tenant: idRef(row.tenant_id),
    name: row.name,
    kind: row.kind,
    threshold: row.threshold,
    scope: row.scope,
    match: row.match_id === null ? null : idRef(row.match_id),
    team: row.team_id === null ? null : idRef(row.team_id),
    competition: row.competition_id === null ? null : idRef(row.competition_id),
    modelName: row.model_name,
    enabled: row.enabled,
    createdAt: timestampOf(row.created_at),
    updatedAt: timestampOf(row.updated_at),
  });
}

export function alertEventFromRow(row: AlertEventRow): AlertEvent {
  return alertEventView({
    id: row.id,
    tenant: idRef(row.tenant_id),
    rule: row.rule_id === null ? null : idRef(row.rule_id),
    match: idRef(row.match_id),
    prediction: row.prediction_id === null ? null : idRef(row.prediction_id),
    kind: row.kind,
    threshold: row.threshold,
    values: row.values,
    firedAt: timestampOf(row.fired_at),
  });
}
