import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * The deprecated schema members a document uses, once each: fields as `Type.field`, arguments
 * as `Type.field(argument)`, enum values as `Enum.VALUE`. Bounded by the schema, so fit for a
 * metric label. Apollo hands the same DocumentNode for the same query text (its parse cache), so
 * each document is walked once.
 */
export function deprecatedUsageReader(schema: GraphQLSchema): (document: DocumentNode) => readonly string[] {
  const seen = new WeakMap<DocumentNode, readonly string[]>();
  return (document) => {
    let used = seen.get(document);
    if (!used) {
      used = deprecatedUsages(schema, document);
      seen.set(document, used);
    }
    return used;
  };
}

export function deprecatedUsages(schema: GraphQLSchema, document: DocumentNode): string[] {
  const used = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (field?.deprecationReason != null && parent) used.add(`${parent.name}.${field.name}`);
      },
      Argument() {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (argument?.deprecationReason != null && field && parent) {
          used.add(`${parent.name}.${field.name}(${argument.name})`);
        }
      },
      EnumValue() {
        const value = typeInfo.getEnumValue();
        const type = typeInfo.getInputType();
        if (value?.deprecationReason != null && type) used.add(`${String(type).replace(/[[\]!]/g, '')}.${value.name}`);
      },
    }),
  );
  return [...used].sort();
}
