import DataLoader from 'dataloader';
import { inSpan, tracingActive } from '../tracing/spans';

/** Told about each batch: the loader's name, its number of keys and its time in seconds (metrics). */
export type BatchObserver = (loader: string, keys: number, seconds: number) => void;

/** A loader's name (a constant: it is a metrics label) and who is told about its batches. */
export interface BatchOptions {
  name: string;
  observe?: BatchObserver;
}

/** A DataLoader for rows looked up by a unique key; missing keys resolve to null. */
export function uniqueLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
  options?: BatchOptions,
) {
  return new DataLoader<K, V | null>(
    observed(options, async (keys) => {
      const byKey = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    }),
  );
}

/** A DataLoader for one-to-many relations: each key gets its (possibly empty) list. */
export function groupLoader<K, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
  options?: BatchOptions,
) {
  return new DataLoader<K, V[]>(
    observed(options, async (keys) => {
      const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
      for (const row of await fetch(keys)) groups.get(keyOf(row))?.push(row);
      return keys.map((key) => groups.get(key) ?? []);
    }),
  );
}

/**
 * The batch function, timed once per batch (never per key) when someone observes, and a span
 * (`dataloader.batch <name>`) per batch when tracing is on.
 */
export function observed<K, V>(
  options: BatchOptions | undefined,
  batch: (keys: readonly K[]) => Promise<V[]>,
): (keys: readonly K[]) => Promise<V[]> {
  if (options && tracingActive()) {
    const traced = batch;
    const spanName = `dataloader.batch ${options.name}`;
    batch = (keys) => inSpan(spanName, { 'dataloader.keys': keys.length }, () => traced(keys));
  }
  const observe = options?.observe;
  if (!observe) return batch;
  const name = options.name;
  return async (keys) => {
    const started = performance.now();
    try {
      return await batch(keys);
    } finally {
      observe(name, keys.length, (performance.now() - started) / 1000);
    }
  };
}
