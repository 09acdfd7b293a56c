import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { inTenantScope } from '../db/tenant-scope';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { observed } from '../db/batch';
import type { Principal } from '../auth/principal';
import { selectRows } from '../db/select';
import { ConflictError, LimitExceededError, NotFoundError } from '../errors';
import { audit } from '../tenants/audit';
import { planOfTenant } from '../tenants/plan.service';
import { Tenant } from '../tenants/tenant.entity';
import { tenantIdOf } from '../watchlists/tenant-of';
import { checkDefinition, checkModelName, type CustomModelDefinition } from './custom-model.checks';
import { CustomModel } from './custom-model.entity';
import { storeCustomForecasts, type CustomModelSpec } from './custom-model.forecasts';

/** Custom models a tenant may hold when no plan says otherwise. */
const DEFAULT_MAX_CUSTOM_MODELS = 3;

export interface CustomModelChanges {
  baseModels?: string[];
  weights?: number[];
  /** undefined: unchanged; null: back to the platform's Dixon-Coles. */
  timeDecayHalfLifeDays?: number | null;
}

/** The caller's tenant's custom models. Every statement has the tenant in its condition. */
export class CustomModelService {
  private loader: DataLoader<number, CustomModel | null> | undefined;

  constructor(private readonly deps: { em: EntityManager; principal: Principal | null }) {}

  /** Oldest first. */
  list(): Promise<CustomModel[]> {
    const tenantId = tenantIdOf(this.deps.principal);
    return inTenantScope(this.deps.em, tenantId, (em) =>
      em.find(CustomModel, { tenant: tenantId }, { orderBy: { id: 'asc' } }),
    );
  }

  /** One of the tenant's models; null for another tenant's, as for one that does not exist. */
  byId(id: number): Promise<CustomModel | null> {
    const tenantId = tenantIdOf(this.deps.principal);
    // Traced like the request's other loaders (db/batch.ts).
    this.loader ??= new DataLoader(
      observed({ name: 'customModelById' }, async (ids: readonly number[]) => {
        const models = await inTenantScope(this.deps.em, tenantId, (em) =>
          em.find(CustomModel, { id: { $in: [...ids] }, tenant: tenantId }),
        );
        return ids.map((id) => models.find((m) => m.id === id) ?? null);
      }),
    );
    return this.loader.load(id);
  }

  /** LIMIT_EXCEEDED past the plan's `maxCustomModels`; its predictions are stored at once. */
  async create(name: string, definition: CustomModelDefinition, now = new Date()): Promise<CustomModel> {
    const tenantId = tenantIdOf(this.deps.principal);
    checkModelName(name);
    const checked = checkDefinition(definition);
    return this.transaction(name, async (em) => {
      // Creations of one tenant wait for each other here, so the count below stays true.
      await selectRows(em, 'select id from tenant where id = ? for no key update', [tenantId]);
      const count = await em.count(CustomModel, { tenant: tenantId });
      const limit = (await planOfTenant(em, tenantId))?.maxCustomModels ?? DEFAULT_MAX_CUSTOM_MODELS;
      if (count >= limit) {
        throw new LimitExceededError(`Your plan allows ${limit} custom models; delete one to create another`, limit);
      }
      const model = em.create(CustomModel, { tenant: em.getReference(Tenant, tenantId), name, ...checked });
      await em.flush();
      const predictions = await storeCustomForecasts(em, [specOf(model, tenantId)], now);
      audit(
        em,
        this.deps.principal,
        'customModel.create',
        { type: 'CustomModel', id: model.id },
        { name, ...checked, predictions },
      );
      return model;
    });
  }

  /** NOT_FOUND for another tenant's model; a new revision, whose predictions replace the upcoming ones. */
  async update(id: number, changes: CustomModelChanges, now = new Date()): Promise<CustomModel> {
    const tenantId = tenantIdOf(this.deps.principal);
    return this.transaction(null, async (em) => {
      const model = await em.findOne(CustomModel, { id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!model) throw new NotFoundError('CustomModel', id);
      const checked = checkDefinition({
        baseModels: changes.baseModels ?? model.baseModels,
        weights: changes.weights ?? model.weights,
        timeDecayHalfLifeDays:
          changes.timeDecayHalfLifeDays === undefined
            ? (model.timeDecayHalfLifeDays ?? null)
            : changes.timeDecayHalfLifeDays,
      });
      Object.assign(model, checked, { revision: model.revision + 1, updatedAt: now });
      await em.flush();
      const predictions = await storeCustomForecasts(em, [specOf(model, tenantId)], now);
      audit(em, this.deps.principal, 'customModel.update', { type: 'CustomModel', id }, { ...checked, predictions });
      return model;
    });
  }

  /** NOT_FOUND for another tenant's model. Its predictions go with it. Returns its id. */
  async delete(id: number): Promise<number> {
    const tenantId = tenantIdOf(this.deps.principal);
    return this.transaction(null, async (em) => {
      const deleted = await selectRows<{ id: number }>(
        em,
        'delete from custom_model where id = ? and tenant_id = ? returning id',
        [id, tenantId],
      );
      if (deleted.length === 0) throw new NotFoundError('CustomModel', id);
      audit(em, this.deps.principal, 'customModel.delete', { type: 'CustomModel', id });
      return id;
    });
  }

  private async transaction<T>(name: string | null, work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await inTenantScope(this.deps.em, tenantIdOf(this.deps.principal), (em) => work(em as EntityManager));
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError(`Your tenant has a custom model named "${name}" already`);
      }
      throw error;
    }
  }
}

/** Every tenant's custom models, for the operator's refresh of a competition. */
export async function allCustomModels(em: EntityManager): Promise<CustomModelSpec[]> {
  const models = await em.find(CustomModel, {}, { orderBy: { id: 'asc' } });
  return models.map((model) => specOf(model, model.tenant.id));
}

function specOf(model: CustomModel, tenantId: number): CustomModelSpec {
  return {
    id: model.id,
    tenantId,
    name: model.name,
    baseModels: model.baseModels,
    weights: model.weights,
    timeDecayHalfLifeDays: model.timeDecayHalfLifeDays ?? null,
    revision: model.revision,
  };
}
