import { Kind, visit, type DocumentNode } from 'graphql';

/**
 * The first string literal of the document (arguments' values, variables' defaults) that `fails`,
 * named after its argument (or `$variable`); null when none does.
 */
export function literalFailing(document: DocumentNode, fails: (value: string) => boolean): string | null {
  let found: string | null = null;
  const names: string[] = [];
  const named = {
    enter: (node: { name?: { value: string }; variable?: { name: { value: string } } }) => {
      names.push(node.variable ? `$${node.variable.name.value}` : (node.name?.value ?? ''));
    },
    leave: () => {
      names.pop();
    },
  };
  visit(document, {
    [Kind.ARGUMENT]: named,
    [Kind.VARIABLE_DEFINITION]: named,
    [Kind.STRING]: (node) => {
      if (fails(node.value)) found ??= names.at(-1) ?? 'argument';
    },
  });
  return found;
}
