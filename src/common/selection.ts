import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects `fieldName` directly (through fragments too), so a
 * loader can leave out a costly column nobody asked for. Conditional selections (@include,
 * @skip) count as selected: reading too much is only slower, reading too little is wrong.
 */
export function selectsField(info: GraphQLResolveInfo, fieldName: string): boolean {
  const visited = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.name.value === fieldName;
        case Kind.INLINE_FRAGMENT:
          return inSet(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (visited.has(name)) return false;
          visited.add(name);
          return inSet(info.fragments[name]?.selectionSet);
        }
      }
    }) ?? false;
  return info.fieldNodes.some((node) => inSet(node.selectionSet));
}
