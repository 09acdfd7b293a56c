import type { ApolloServerPlugin } from '@apollo/server';
import {
  getIntrospectionQuery,
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type IntrospectionOptions,
  type ValidationRule,
} from 'graphql';
import type { AppContext } from '../context';
import { UnauthenticatedError } from '../errors';

/**
 * The schema is for authenticated callers only: introspection (what GraphiQL and codegen use)
 * answers others 401 UNAUTHENTICATED, and their errors carry no "Did you mean …?" hints, which
 * would reveal field, argument, type and enum value names one guess at a time. (WebSocket callers
 * always have a key: a socket without one is closed at connect.)
 */
export const introspectionForMembersOnly: ApolloServerPlugin<AppContext> = {
  async requestDidStart({ contextValue }) {
    if (contextValue.principal) return;
    return {
      async didResolveOperation({ document }) {
        if (introspects(document)) {
          throw new UnauthenticatedError('Introspection needs an API key (x-api-key header)');
        }
      },
      async didEncounterErrors({ errors }) {
        for (const error of errors) error.message = withoutSuggestions(error.message);
      },
    };
  },
};

/** A message without graphql-js's hints ("Did you mean "code"?", "Did you mean the enum value "LIVE"?"). */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, '');
}

// Per parsed document: Apollo hands the same one for the same query text.
const introspection = new WeakMap<DocumentNode, boolean>();

/** The document selects `__schema` or `__type` (anywhere). */
export function introspects(document: DocumentNode): boolean {
  let known = introspection.get(document);
  if (known === undefined) {
    known = selectsSchemaFields(document);
    introspection.set(document, known);
  }
  return known;
}

function selectsSchemaFields(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD]: (node) => {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/**
 * Validation rules that skip the standard introspection documents (GraphiQL's, codegen's), whose
 * depth (21) and cost are past the limits but bounded by the schema (their cost, unestimated,
 * counts 1 toward the plan's quota). Any other introspection passes the rules.
 */
export function exceptStandardIntrospection(rules: readonly ValidationRule[]): ValidationRule[] {
  // Printed here, at start (about 50 ms), not when the module loads or at the first request.
  standardDocuments ??= new Set(standardIntrospectionQueries().map((query) => normalized(parse(query))));
  const trusted = standardDocuments;
  return rules.map(
    (rule) => (context) => (isStandardIntrospection(context.getDocument(), trusted) ? {} : rule(context)),
  );
}

let standardDocuments: Set<string> | undefined;

const INTROSPECTION_OPTIONS: (keyof IntrospectionOptions)[] = [
  'descriptions',
  'specifiedByUrl',
  'directiveIsRepeatable',
  'schemaDescription',
  'inputValueDeprecation',
  'oneOf',
];

/**
 * What graphql-js's `getIntrospectionQuery` writes for each of the 2^6 combinations of its
 * options; also as earlier 16.x releases wrote it (root types without `kind`: GraphiQL 3.8
 * bundles one), and without `subscriptionType` (GraphiQL's retry when the first fails).
 */
function standardIntrospectionQueries(): string[] {
  const queries = new Set<string>();
  for (let bits = 0; bits < 2 ** INTROSPECTION_OPTIONS.length; bits++) {
    const options = Object.fromEntries(INTROSPECTION_OPTIONS.map((name, i) => [name, (bits & (1 << i)) !== 0]));
    const query = getIntrospectionQuery(options);
    const older = query.replace(/(queryType|mutationType|subscriptionType) \{ name kind \}/g, '$1 { name }');
    for (const variant of [query, older]) {
      queries.add(variant);
      queries.add(variant.replace(/subscriptionType \{ name( kind)? \}/, ''));
    }
  }
  return [...queries];
}

// A document is compared only if it introspects, and once: Apollo and the WebSocket preparer
// hand the same one for the same query text.
const standard = new WeakMap<DocumentNode, boolean>();

function isStandardIntrospection(document: DocumentNode, trusted: Set<string>): boolean {
  if (!introspects(document)) return false;
  let known = standard.get(document);
  if (known === undefined) {
    known = trusted.has(normalized(document));
    standard.set(document, known);
  }
  return known;
}

// Spacing, commas, the operation's name and the order of fields do not change what is asked:
// clients name the operation as they like, and graphql-js releases order `name` and `kind`
// differently.
function normalized(document: DocumentNode): string {
  return print(
    visit(document, {
      [Kind.OPERATION_DEFINITION]: (node) => ({ ...node, name: undefined }),
      [Kind.SELECTION_SET]: {
        leave: (node) => ({ ...node, selections: sortBy(node.selections, (selection) => print(selection)) }),
      },
    }),
  );
}

function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const keyed = items.map((item) => [key(item), item] as const);
  return keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}
