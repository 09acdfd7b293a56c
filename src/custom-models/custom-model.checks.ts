import { MODEL_NAMES } from '../predictions/engine';
import { BadUserInputError } from '../errors';

/** What a custom model may pool: the platform's base models and its ensemble. */
export const BASE_MODELS: readonly string[] = [...MODEL_NAMES, 'ensemble'];

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Half-lives outside this range fit nothing sensible: a week of matches, or ten seasons. */
const HALF_LIFE_DAYS = { min: 7, max: 3650 };

export interface CustomModelDefinition {
  baseModels: string[];
  weights: number[];
  timeDecayHalfLifeDays: number | null;
}

export function checkModelName(name: string): string {
  if (!NAME.test(name)) {
    throw new BadUserInputError(
      'name must be 1 to 64 lower-case letters, digits or dashes, starting with a letter or digit',
      'name',
    );
  }
  return name;
}

/** Base models known and distinct, one finite non-negative weight each (not all zero), a sane decay. */
export function checkDefinition(definition: CustomModelDefinition): CustomModelDefinition {
  const { baseModels, weights, timeDecayHalfLifeDays } = definition;
  if (baseModels.length === 0) throw new BadUserInputError('baseModels must name at least one model', 'baseModels');
  const unknown = baseModels.filter((name) => !BASE_MODELS.includes(name));
  if (unknown.length) {
    throw new BadUserInputError(
      `unknown base models ${unknown.join(', ')}: use ${BASE_MODELS.join(', ')}`,
      'baseModels',
    );
  }
  if (new Set(baseModels).size !== baseModels.length) {
    throw new BadUserInputError('baseModels must not name a model twice', 'baseModels');
  }
  if (weights.length !== baseModels.length) {
    throw new BadUserInputError('weights must have one weight per base model, in the same order', 'weights');
  }
  if (weights.some((w) => !Number.isFinite(w) || w < 0) || weights.every((w) => w === 0)) {
    throw new BadUserInputError('weights must be non-negative numbers, not all zero', 'weights');
  }
  if (timeDecayHalfLifeDays !== null) {
    if (!(timeDecayHalfLifeDays >= HALF_LIFE_DAYS.min && timeDecayHalfLifeDays <= HALF_LIFE_DAYS.max)) {
      throw new BadUserInputError(
        `timeDecayHalfLifeDays must be between ${HALF_LIFE_DAYS.min} and ${HALF_LIFE_DAYS.max}`,
        'timeDecayHalfLifeDays',
      );
    }
    if (!baseModels.includes('dixon-coles')) {
      throw new BadUserInputError(
        'timeDecayHalfLifeDays applies to dixon-coles: add it to baseModels',
        'timeDecayHalfLifeDays',
      );
    }
  }
  const total = weights.reduce((sum, w) => sum + w, 0);
  return { baseModels, weights: weights.map((w) => w / total), timeDecayHalfLifeDays };
}
