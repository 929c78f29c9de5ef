// What a client asked for below a field, read from the GraphQL resolve info: the planner uses it
// to read only the columns and relations that are selected.
import { getArgumentValues } from 'graphql/execution/values';
import { isObjectType, Kind, type FieldNode, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

export interface Selected {
  name: string;
  /** Argument values with variables applied (as the field resolver will receive them). */
  args: Record<string, unknown>;
  /** Selections below this field, by response key (alias or name). */
  children: Map<string, Selected>;
}

/** Bounds the walk over (possibly hostile) documents; the limits plugin already caps depth and cost. */
const MAX_NODES = 5_000;

/**
 * The selection below the current field, following `path` (e.g. ['edges', 'node']) down the
 * object types; fragments are merged. Returns null when the path is not selected.
 */
export function selectionOf(info: GraphQLResolveInfo, path: string[] = []): Map<string, Selected> | null {
  return below(selectionBelow(info, info.fieldNodes, info.returnType), path);
}

/** The fragments and variables of an operation: what selectionBelow needs of it. */
export type Operation = Pick<GraphQLResolveInfo, 'fragments' | 'variableValues'>;

/** The selection `path` leads to from `selection` (e.g. ['edges', 'node']), or null when not selected. */
export function below(selection: Map<string, Selected>, path: string[]): Map<string, Selected> | null {
  let result: Map<string, Selected> | null = selection;
  for (const step of path) {
    const next: Selected | undefined = [...result.values()].find((s) => s.name === step);
    if (!next) return null;
    result = next.children;
  }
  return result;
}

function unwrap(type: unknown) {
  let t = type as { ofType?: unknown };
  while (t && 'ofType' in t && t.ofType) t = t.ofType as { ofType?: unknown };
  return t;
}

/** What an operation selects below `fieldNodes` (see selectionOf): fragments merged, in document order. */
export function selectionBelow(
  info: Operation,
  fieldNodes: readonly FieldNode[],
  parentReturnType: unknown,
): Map<string, Selected> {
  const root = new Map<string, Selected>();
  // Depth first in document order, as graphql-js collects fields (an answer built in SQL lists
  // them in that order), with an explicit stack: (selections, next index, type, map to fill).
  const stack: { selections: readonly SelectionNode[]; next: number; type: unknown; into: Map<string, Selected> }[] =
    [];
  let visited = 0;
  for (const node of fieldNodes) {
    if (!node.selectionSet) continue;
    stack.push({ selections: node.selectionSet.selections, next: 0, type: unwrap(parentReturnType), into: root });
    while (stack.length) {
      const frame = stack[stack.length - 1];
      if (frame.next === frame.selections.length) {
        stack.pop();
        continue;
      }
      const selection = frame.selections[frame.next++];
      const { type, into } = frame;
      if (++visited > MAX_NODES) throw new Error('selection too large to plan');
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        stack.push({ selections: selection.selectionSet.selections, next: 0, type, into });
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = info.fragments[selection.name.value];
        if (fragment) stack.push({ selections: fragment.selectionSet.selections, next: 0, type, into });
      } else {
        const name = selection.name.value;
        const key = selection.alias?.value ?? name;
        const fieldDef = isObjectType(type) ? type.getFields()[name] : undefined;
        let entry = into.get(key);
        if (!entry) {
          entry = {
            name,
            // Most selected fields take no argument: skip graphql-js's coercion walk for those.
            args: fieldDef?.args.length ? getArgumentValues(fieldDef, selection, info.variableValues) : {},
            children: new Map(),
          };
          into.set(key, entry);
        }
        if (selection.selectionSet && fieldDef)
          stack.push({
            selections: selection.selectionSet.selections,
            next: 0,
            type: unwrap(fieldDef.type),
            into: entry.children,
          });
      }
    }
  }
  return root;
}
