// The first check of every GraphQL request, run by the HTTP layer BEFORE Apollo parses and
// validates: graphql-js parses and validates recursively (a 10,000-fragment chain or 10,000
// nested brackets overflow the stack) and some validation rules are quadratic, so a document is
// measured here in one linear, iterative pass and refused when it is over budget. Variables are
// bounded here too (depth, size, string length, NUL characters), naming the offending path.
import { Kind, Lexer, parse, Source, TokenKind, type DocumentNode, type SelectionSetNode } from 'graphql';
import { formatJsonPath, inspectJson, type JsonBounds } from '../shared/json-bounds';

export interface DocumentBudget {
  /** Lexical tokens of the whole document (graphql-js counts the same way for `maxTokens`). */
  maxTokens: number;
  /** Nesting of `{ [ (` anywhere: selections, arguments, list and object literals. */
  maxNesting: number;
  /** Longest chain of fragment spreads (…A spreading …B spreading …C is 3). */
  maxFragmentDepth: number;
  /** Field selections written in the document (before fragments multiply them). */
  maxSelections: number;
  /** Aliased fields written in the document. */
  maxAliases: number;
  /** Bounds of `variables` (and `extensions`); also the longest string literal. */
  variables: JsonBounds;
}

export const DEFAULT_DOCUMENT_BUDGET: DocumentBudget = {
  maxTokens: 10_000,
  maxNesting: 64,
  maxFragmentDepth: 16,
  maxSelections: 2_000,
  maxAliases: 100,
  variables: { maxDepth: 32, maxNodes: 50_000, maxStringLength: 100_000 },
};

/** A refusal: status 400, one error with a code (and the offending variable path, if any). */
export interface GuardRefusal {
  status: 400;
  message: string;
  code: 'BAD_USER_INPUT' | 'QUERY_TOO_COMPLEX' | 'GRAPHQL_PARSE_FAILED';
  field?: string;
}

const tooComplex = (message: string): GuardRefusal => ({ status: 400, code: 'QUERY_TOO_COMPLEX', message });

/** One linear pass over the tokens: count, nesting, string literals. Syntax errors are left to the parser. */
function lexicalProblem(query: string, budget: DocumentBudget): GuardRefusal | null {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > budget.maxTokens) return tooComplex(`The document has more than ${budget.maxTokens} tokens`);
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L || token.kind === TokenKind.PAREN_L) {
        if (++nesting > budget.maxNesting)
          return tooComplex(`The document nests deeper than ${budget.maxNesting} levels`);
      } else if (
        token.kind === TokenKind.BRACE_R ||
        token.kind === TokenKind.BRACKET_R ||
        token.kind === TokenKind.PAREN_R
      ) {
        nesting--;
      } else if (token.kind === TokenKind.STRING || token.kind === TokenKind.BLOCK_STRING) {
        const text = token.value ?? '';
        if (text.length > budget.variables.maxStringLength) {
          return {
            status: 400,
            code: 'BAD_USER_INPUT',
            message: `A string literal is longer than ${budget.variables.maxStringLength} characters`,
          };
        }
        if (text.includes('\0'))
          return {
            status: 400,
            code: 'BAD_USER_INPUT',
            message: 'Text must not contain NUL (\\u0000) characters (in a string literal)',
          };
      }
    }
  } catch {
    return null; // not lexable: the parser reports the syntax error with its location
  }
  return null;
}

/** Fragment spreads, field selections and aliases under one selection set (iterative). */
function scan(selectionSet: SelectionSetNode, counts: { selections: number; aliases: number }): Set<string> {
  const spreads = new Set<string>();
  const stack: SelectionSetNode[] = [selectionSet];
  while (stack.length > 0) {
    for (const node of stack.pop()!.selections) {
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        spreads.add(node.name.value);
        continue;
      }
      if (node.kind === Kind.FIELD) {
        counts.selections++;
        if (node.alias) counts.aliases++;
      }
      if (node.selectionSet) stack.push(node.selectionSet);
    }
  }
  return spreads;
}

/** Longest chain of spreads starting at any definition; cycles count as 0 here (validation reports them). */
function longestSpreadChain(graph: Map<string | symbol, Set<string>>): number {
  const depth = new Map<string | symbol, number>();
  const visiting = new Set<string | symbol>();
  let longest = 0;
  for (const start of graph.keys()) {
    if (depth.has(start)) continue;
    // Iterative post-order: a node's depth is known once all the fragments it spreads are.
    const stack: { name: string | symbol; expanded: boolean }[] = [{ name: start, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const children = [...(graph.get(top.name) ?? [])].filter((child) => graph.has(child));
      if (!top.expanded) {
        top.expanded = true;
        visiting.add(top.name);
        for (const child of children)
          if (!depth.has(child) && !visiting.has(child)) stack.push({ name: child, expanded: false });
        continue;
      }
      stack.pop();
      visiting.delete(top.name);
      if (depth.has(top.name)) continue;
      const own = children.reduce((max, child) => Math.max(max, (depth.get(child) ?? 0) + 1), 0);
      depth.set(top.name, own);
      longest = Math.max(longest, own);
    }
  }
  return longest;
}

function documentProblem(document: DocumentNode, budget: DocumentBudget): GuardRefusal | null {
  const counts = { selections: 0, aliases: 0 };
  const graph = new Map<string | symbol, Set<string>>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      graph.set(definition.name.value, scan(definition.selectionSet, counts));
    else if (definition.kind === Kind.OPERATION_DEFINITION)
      graph.set(Symbol('operation'), scan(definition.selectionSet, counts));
  }
  if (counts.selections > budget.maxSelections)
    return tooComplex(`The document selects more than ${budget.maxSelections} fields`);
  if (counts.aliases > budget.maxAliases) return tooComplex(`The document has more than ${budget.maxAliases} aliases`);
  const chain = longestSpreadChain(graph);
  if (chain > budget.maxFragmentDepth)
    return tooComplex(`Fragments spread each other more than ${budget.maxFragmentDepth} levels deep`);
  return null;
}

/**
 * Checks a GraphQL document before Apollo parses it. Verdicts are cached per document text
 * (clients send the same few documents again and again), in a small bounded map.
 */
export function createDocumentGuard(budget: DocumentBudget = DEFAULT_DOCUMENT_BUDGET) {
  const verdicts = new Map<string, GuardRefusal | null>();
  const CACHE_SIZE = 500;

  function checkDocument(query: string): GuardRefusal | null {
    const cached = verdicts.get(query);
    if (cached !== undefined) return cached;
    let verdict = lexicalProblem(query, budget);
    if (!verdict) {
      let document: DocumentNode | null = null;
      try {
        document = parse(query, { noLocation: true, maxTokens: budget.maxTokens });
      } catch {
        // a syntax error: Apollo reports it as GRAPHQL_PARSE_FAILED with its location
      }
      verdict = document ? documentProblem(document, budget) : null;
    }
    if (verdicts.size >= CACHE_SIZE) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(query, verdict);
    return verdict;
  }

  /** `root` names the value; for variables (root '$') the first key is the variable's name: `$input.city`. */
  function checkJson(value: unknown, root: string): GuardRefusal | null {
    const problem = inspectJson(value, budget.variables);
    if (!problem) return null;
    const [first, ...rest] = problem.path;
    const field =
      root === '$' && first !== undefined ? formatJsonPath(`$${first}`, rest) : formatJsonPath(root, problem.path);
    return { status: 400, code: 'BAD_USER_INPUT', message: `${problem.message} (in ${field})`, field };
  }

  /** The GraphQL request as the HTTP layer received it: a POST body, or the parameters of a GET. */
  return function guard(request: { query?: unknown; variables?: unknown; extensions?: unknown }): GuardRefusal | null {
    if (typeof request.query === 'string') {
      const refusal = checkDocument(request.query);
      if (refusal) return refusal;
    }
    if (request.variables && typeof request.variables === 'object') {
      const refusal = checkJson(request.variables, '$');
      if (refusal) return refusal;
    }
    return request.extensions === undefined ? null : checkJson(request.extensions, 'extensions');
  };
}

export type DocumentGuard = ReturnType<typeof createDocumentGuard>;
