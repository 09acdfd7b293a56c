import { Field, ID, InterfaceType } from 'type-graphql';
import { toGlobalId } from './global-id';

/** The GraphQL type of a node: its class's name. */
export function nodeTypeName(value: object): string {
  return value.constructor.name;
}

/**
 * Relay's Node interface. Entities extend it, so `id` is the global ID of
 * `<GraphQL type name>:<database id>`; GraphQL type names equal class names.
 */
@InterfaceType({ description: 'An object with a global ID (Relay).', resolveType: nodeTypeName })
export abstract class Node {
  @Field(() => ID, { name: 'id', description: 'Global ID, usable with `node(id)`.' })
  globalId(): string {
    return toGlobalId(this.constructor.name, (this as unknown as { id: number | string }).id);
  }
}
