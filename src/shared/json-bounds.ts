// Bounds on untrusted JSON (request variables, JSON scalars such as policy attributes). Every walk
// here iterates with an explicit stack: a value nested 100,000 deep costs a loop, not the stack.

export interface JsonBounds {
  /** Deepest nesting of arrays/objects (a scalar at the top is depth 0). */
  maxDepth: number;
  /** Values (scalars, arrays, objects and object keys) in the whole value. */
  maxNodes: number;
  /** Longest string (keys included), in UTF-16 code units. */
  maxStringLength: number;
}

export type JsonProblemKind = 'depth' | 'nodes' | 'string' | 'nul';

export interface JsonProblem {
  kind: JsonProblemKind;
  /** Where, from the root: keys and array indexes. */
  path: (string | number)[];
  message: string;
}

const MAX_PATH_SHOWN = 12;

/** `$input.attributes.a[0]`, shortened in the middle of very deep paths. */
export function formatJsonPath(root: string, path: readonly (string | number)[]): string {
  const step = (text: string, key: string | number) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${key}`);
  if (path.length <= MAX_PATH_SHOWN) return path.reduce<string>(step, root);
  return path.slice(-2).reduce<string>(step, `${path.slice(0, MAX_PATH_SHOWN - 2).reduce<string>(step, root)}…`);
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * The first way `value` breaks `bounds`, or null. Also refuses NUL characters in strings:
 * PostgreSQL text cannot hold them, so they would fail later as an internal error.
 */
export function inspectJson(value: unknown, bounds: JsonBounds): JsonProblem | null {
  // Each entry: a value, its depth, and its path (kept as a parent chain; built only on failure).
  type Entry = { value: unknown; depth: number; key: string | number | null; parent: Entry | null };
  const pathOf = (entry: Entry): (string | number)[] => {
    const path: (string | number)[] = [];
    for (let e: Entry | null = entry; e && e.key !== null; e = e.parent) path.push(e.key);
    return path.reverse();
  };
  const checkString = (text: string, entry: Entry, isKey: boolean): JsonProblem | null => {
    if (text.length > bounds.maxStringLength) {
      return {
        kind: 'string',
        path: pathOf(entry),
        message: `${isKey ? 'A key' : 'Text'} is longer than ${bounds.maxStringLength} characters`,
      };
    }
    if (text.includes('\0'))
      return { kind: 'nul', path: pathOf(entry), message: 'Text must not contain NUL (\\u0000) characters' };
    return null;
  };
  const stack: Entry[] = [{ value, depth: 0, key: null, parent: null }];
  let nodes = 0;
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (++nodes > bounds.maxNodes)
      return { kind: 'nodes', path: pathOf(entry), message: `The value has more than ${bounds.maxNodes} parts` };
    const current = entry.value;
    if (typeof current === 'string') {
      const problem = checkString(current, entry, false);
      if (problem) return problem;
      continue;
    }
    if (!isContainer(current)) continue;
    const depth = entry.depth + 1;
    if (depth > bounds.maxDepth)
      return { kind: 'depth', path: pathOf(entry), message: `The value nests deeper than ${bounds.maxDepth} levels` };
    if (Array.isArray(current)) {
      // Pushed in reverse so that the first offending item is the one reported.
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth, key: i, parent: entry });
    } else {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const child: Entry = {
          value: (current as Record<string, unknown>)[keys[i]],
          depth,
          key: keys[i],
          parent: entry,
        };
        const problem = checkString(keys[i], child, true);
        if (problem) return problem;
        nodes++;
        stack.push(child);
      }
    }
  }
  return null;
}

/** Nesting depth of a JSON value, counting no further than `cap + 1` (enough to say "too deep"). */
export function jsonDepth(value: unknown, cap: number): number {
  let deepest = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (!isContainer(current)) continue;
    const level = depth + 1;
    deepest = Math.max(deepest, level);
    if (deepest > cap) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current))
      stack.push({ value: child, depth: level });
  }
  return deepest;
}
