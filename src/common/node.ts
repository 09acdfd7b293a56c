import { Field, ID, InterfaceType } from 'type-graphql';
import { toGlobalId } from './global-id';

/**
 * The GraphQL type of a node: its class's `graphqlName` when the class is named otherwise
 * (e.g. `TenantType`, beside the `Tenant` entity), else its class's name.
 */
export function nodeTypeName(value: object): string {
  const type = value.constructor as { name: string; graphqlName?: string };
  return type.graphqlName ?? type.name;
}

/**
 * Relay's Node interface. Entities extend it, so `id` is the global ID of
 * `<GraphQL type name>:<database id>`; GraphQL type names equal class names unless the
 * class declares `static graphqlName`.
 */
@InterfaceType({ description: 'An object with a global ID (Relay).', resolveType: nodeTypeName })
export abstract class Node {
  @Field(() => ID, { name: 'id', description: 'Global ID, usable with `node(id)`.' })
  globalId(): string {
    return toGlobalId(nodeTypeName(this), (this as unknown as { id: number | string }).id);
  }
}
