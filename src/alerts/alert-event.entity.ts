import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Float, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { Match } from '../matches/match.entity';
import { Prediction } from '../predictions/prediction.entity';
import { Tenant } from '../tenants/tenant.entity';
import { AlertRule } from './alert-rule.entity';
import { AlertKind } from './alert.enums';
import { AlertValues } from './alert.types';

/**
 * One firing of a rule. `(rule, prediction)` is unique: however many processes evaluate a
 * prediction, only the one whose insert wins publishes the alert.
 */
@ObjectType({
  simpleResolvers: true,
  description: 'A rule that fired on a new prediction; private to your tenant.',
  implements: Node,
})
@Entity({ tableName: 'alert_event' })
@Unique({ properties: ['rule', 'prediction'] })
// A tenant's alerts, newest first.
@Index({ properties: ['tenant', 'id'] })
// Foreign keys that cascade or set null (a refresh deletes predictions).
@Index({ properties: ['prediction'] })
@Index({ properties: ['match'] })
export class AlertEvent extends Node {
  [OptionalProps]?: 'firedAt';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Tenant, { ref: true, deleteRule: 'cascade' })
  tenant!: Ref<Tenant>;

  /** Null once the rule is deleted; the alert keeps its kind and threshold. */
  @ManyToOne(() => AlertRule, { ref: true, nullable: true, deleteRule: 'set null' })
  rule?: Ref<AlertRule> | null;

  @ManyToOne(() => Match, { ref: true, deleteRule: 'cascade' })
  match!: Ref<Match>;

  /** Null once the prediction is replaced (a refresh deletes the pre-match predictions it replaces). */
  @ManyToOne(() => Prediction, { ref: true, nullable: true, deleteRule: 'set null' })
  prediction?: Ref<Prediction> | null;

  @Field(() => AlertKind, { description: "The rule's kind when it fired." })
  @Enum({ items: () => AlertKind, type: 'string', length: 32 })
  kind!: AlertKind;

  @Field(() => Float, { description: "The rule's threshold when it fired." })
  @Property({ type: 'double' })
  threshold!: number;

  @Field(() => AlertValues)
  @Property({ type: 'json' })
  values!: AlertValues;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  firedAt: Date = new Date();
}
