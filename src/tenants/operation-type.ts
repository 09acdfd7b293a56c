import { registerEnumType } from 'type-graphql';

/** The kind of a GraphQL operation, as usage is counted. */
export enum OperationType {
  QUERY = 'QUERY',
  MUTATION = 'MUTATION',
  SUBSCRIPTION = 'SUBSCRIPTION',
}

registerEnumType(OperationType, { name: 'OperationType', description: 'The kind of a GraphQL operation.' });

/** From graphql-js's `OperationDefinitionNode.operation`. */
export function operationTypeOf(operation: 'query' | 'mutation' | 'subscription'): OperationType {
  return operation === 'query'
    ? OperationType.QUERY
    : operation === 'mutation'
      ? OperationType.MUTATION
      : OperationType.SUBSCRIPTION;
}
