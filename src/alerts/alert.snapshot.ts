import type { PredictionSnapshot } from '../live/prediction.snapshot';
import type { MatchSnapshot } from '../matches/match.snapshot';
import type { AlertEventRow, AlertRuleRow } from './alert.views';

/**
 * What is published on ALERT_TRIGGERED (topic id: the rule's tenant): the stored alert, its rule
 * and, when the prediction's event carried them, the prediction and match, so subscribers read
 * nothing back for them.
 */
export interface AlertTriggeredPayload {
  alert: AlertEventRow;
  rule: AlertRuleRow;
  prediction?: PredictionSnapshot;
  match?: MatchSnapshot;
}
