// Relay global ids: opaque base64url of "<Type>:<uuid>". Free of type-graphql, so pure rule
// modules (and their table tests) can encode ids without the schema's decorators.

export const NODE_TYPES = [
  'Customer',
  'Address',
  'StaffUser',
  'LoyaltyAccount',
  'LedgerEntry',
  'Reward',
  'Order',
  'Feedback',
  'Policy',
  'Claim',
  'Segment',
  'Notification',
  'WebhookSubscription',
  // Not a Node of the schema (node(id) does not fetch keys), but its ids are global like the others.
  'ApiKey',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];
const KNOWN_TYPES: ReadonlySet<string> = new Set(NODE_TYPES);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/**
 * toGlobalId in SQL, for answers built by PostgreSQL (src/graphql/plan/answer.ts): base64 of
 * "<Type>:<uuid>" made base64url as Buffer does it (- and _, no padding; PostgreSQL's encode also
 * breaks lines every 76 characters).
 */
export function globalIdSql(type: NodeType, column: string): string {
  return `translate(encode(convert_to('${type}:' || ${column}::text, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
}

/**
 * Returns null for anything that is not a well-formed global id of a known (or the expected)
 * type: the type part is checked against the list of node types, never used as an object key
 * as it is ("__proto__", "constructor"), and the id part must be a UUID before it reaches SQL.
 */
export function fromGlobalId(globalId: string, expected?: NodeType): { type: NodeType; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 1) return null;
  const type = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  if (!KNOWN_TYPES.has(type) || (expected && type !== expected)) return null;
  if (!UUID.test(id)) return null;
  return { type: type as NodeType, id };
}
