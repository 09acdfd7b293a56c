import { AlertEvent } from '../alerts/alert-event.entity';
import { AlertRule } from '../alerts/alert-rule.entity';
import { CustomModel } from '../custom-models/custom-model.entity';
import { Competition } from '../competitions/competition.entity';
import { Season } from '../competitions/season.entity';
import { LiveUpdateRecord } from '../live/live-update.entity';
import { IngestSource } from '../matches/ingest/ingest-source.entity';
import { MatchEvent } from '../matches/match-event.entity';
import { Match } from '../matches/match.entity';
import { Odds } from '../matches/odds.entity';
import { Prediction } from '../predictions/prediction.entity';
import { Team } from '../teams/team.entity';
import { TeamAlias } from '../teams/team-alias.entity';
import { ApiKey } from '../tenants/api-key.entity';
import { AuditLog } from '../tenants/audit-log.entity';
import { Membership } from '../tenants/membership.entity';
import { Plan } from '../tenants/plan.entity';
import { Tenant } from '../tenants/tenant.entity';
import { TenantUsage } from '../tenants/usage.entity';
import { User } from '../tenants/user.entity';
import { WatchlistItem } from '../watchlists/watchlist-item.entity';

/** Every MikroORM entity, listed explicitly so discovery never scans the file system. */
export const entities = [
  Competition,
  Season,
  Team,
  TeamAlias,
  Match,
  MatchEvent,
  LiveUpdateRecord,
  IngestSource,
  Odds,
  Prediction,
  Tenant,
  User,
  Membership,
  ApiKey,
  AuditLog,
  Plan,
  TenantUsage,
  WatchlistItem,
  AlertRule,
  CustomModel,
  AlertEvent,
];
