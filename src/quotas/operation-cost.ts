import { Kind, type OperationDefinitionNode, type ValidationContext } from 'graphql';

// Per operation node: Apollo's document store (HTTP) and the WebSocket preparer keep validated
// documents, so the cost is estimated once per document, by the validation that already runs.
const costs = new WeakMap<OperationDefinitionNode, number>();
// How many operations of a document the cost rule has accepted so far, per validation.
const accepted = new WeakMap<ValidationContext, number>();

/**
 * graphql-armor's `onAccept` callback of its cost limit (see `createArmor`): remembers the cost
 * it estimated for each operation it let through. The rule visits a document's operations in
 * order, so the n-th call of a validation is the document's n-th operation.
 */
export function rememberOperationCost(context: ValidationContext | null, details: { n: number }): void {
  if (!context) return;
  const index = accepted.get(context) ?? 0;
  accepted.set(context, index + 1);
  const operation = context.getDocument().definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)[index];
  if (operation) costs.set(operation, details.n);
}

/**
 * The cost graphql-armor estimated for an operation when its document was validated, as whole
 * points (its estimates have halves); 1 when none was recorded.
 */
export function operationCost(operation: OperationDefinitionNode): number {
  const cost = costs.get(operation);
  return cost === undefined ? 1 : Math.ceil(cost);
}
