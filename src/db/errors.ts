// Recognising database errors that services turn into user errors. Prisma reports them as
// P2002 with the driver adapter's details, whose shape differs slightly between adapters; raw
// statements of db.transaction (src/db/transaction.ts) throw the driver's error itself (SQLSTATE
// 23505, with the constraint name and "Key (column)=…" detail, from pg and PGlite alike).

interface PrismaLikeError {
  code?: string;
  meta?: {
    target?: string[] | string;
    driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string }; originalMessage?: string } };
  };
}

/** True for a unique-constraint violation, optionally only on the given column or index name. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  const e = error as PrismaLikeError;
  if (e?.code === '23505') return !column || driverNames(error as DriverError).some(matches(column));
  if (e?.code !== 'P2002') return false;
  if (!column) return true;
  const cause = e.meta?.driverAdapterError?.cause;
  const names = [
    ...(cause?.constraint?.fields ?? []),
    cause?.constraint?.index ?? '',
    cause?.originalMessage ?? '',
    ...(Array.isArray(e.meta?.target) ? e.meta.target : [e.meta?.target ?? '']),
  ];
  return names.some(matches(column));
}

const matches = (column: string) => (name: string) =>
  name === column || name.includes(`_${column}_`) || name.includes(`"${column}"`);

interface DriverError {
  constraint?: string;
  detail?: string;
}

/** The constraint name and the key columns ("Key (a, b)=(…) already exists.") of a driver's error. */
function driverNames(error: DriverError): string[] {
  const columns = error.detail?.match(/Key \(([^)]+)\)/)?.[1]?.split(', ') ?? [];
  return [error.constraint ?? '', ...columns];
}

/** How a database call failed for reasons outside the request: worth a retry, or too slow. */
export type DatabaseFailure = 'unavailable' | 'timeout';

// PostgreSQL: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300
// too_many_connections, class 08 connection exceptions. Node sockets and pg's own connection
// errors. Prisma: P1001 can't reach, P1002 timed out reaching, P1017 server closed the connection,
// P2024 no pool connection in time.
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'P1001',
  'P1002',
  'P1017',
  'P2024',
]);
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error|terminating connection due to administrator command|the database system is (starting up|shutting down)|timeout exceeded when trying to connect|Unable to start a transaction in the given time|Server has closed the connection|Can't reach database server/i;
// 57014 query_canceled: the API only cancels statements through statement_timeout.
const TIMEOUT_MESSAGES = /canceling statement due to statement timeout/i;

/**
 * Looks through an error and what it wraps (Prisma's meta.driverAdapterError, `cause`,
 * GraphQL's originalError, AggregateError's errors) for a connection failure or a statement
 * timeout. Bounded: looks at no more than 20 objects.
 */
export function databaseFailure(error: unknown): DatabaseFailure | null {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 20; seen++) {
    const e = queue.shift() as Record<string, unknown> | null;
    if (!e || typeof e !== 'object') continue;
    const codes = [e.code, e.originalCode, e.kind].filter((c): c is string => typeof c === 'string');
    const message = [e.message, e.originalMessage, e.reason]
      .filter((m): m is string => typeof m === 'string')
      .join(' ');
    if (codes.includes('57014') || TIMEOUT_MESSAGES.test(message)) return 'timeout';
    if (
      codes.some((c) => UNAVAILABLE_CODES.has(c) || UNAVAILABLE_KINDS.has(c) || c.startsWith('08')) ||
      UNAVAILABLE_MESSAGES.test(message)
    )
      return 'unavailable';
    const meta = e.meta as Record<string, unknown> | undefined;
    queue.push(
      e.cause,
      e.originalError,
      meta?.driverAdapterError,
      (meta?.driverAdapterError as Record<string, unknown> | undefined)?.cause,
    );
    if (Array.isArray(e.errors)) queue.push(...e.errors.slice(0, 5));
  }
  return null;
}
