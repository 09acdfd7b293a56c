/**
 * Read-only objects of an entity's class, built from plain rows for the GraphQL read path.
 *
 * GraphQL needs the entity's class (type resolution, `instanceof` in type-graphql), but a
 * hydrated entity costs an identity-map entry, a change-tracking helper and a setter call per
 * property (MikroORM installs accessors on the prototype). A view shares the class's prototype
 * through one extra link whose plain data properties shadow those accessors, so building one
 * costs what a plain object costs. Views are never managed: do not hand one to an EntityManager.
 */
export function readViewFactory<T extends object>(entityClass: abstract new () => T): (fields: Partial<T>) => T {
  let prototype: object | undefined;
  return (fields) => Object.assign(Object.create((prototype ??= viewPrototype(entityClass.prototype))), fields);
}

// Built on first use: MikroORM installs its accessors when the ORM starts, after module load.
function viewPrototype(entityPrototype: object): object {
  const prototype = Object.create(entityPrototype) as object;
  for (const name of Object.getOwnPropertyNames(entityPrototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(entityPrototype, name);
    if (descriptor?.set && !name.startsWith('__')) {
      Object.defineProperty(prototype, name, {
        value: undefined,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
  }
  return prototype;
}

/** A view's many-to-one relation: only the id is known, which is all a loader needs. */
export function idRef<R>(id: number): R {
  return { id } as R;
}
