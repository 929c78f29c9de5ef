// The customer data export (docs/privacy.md, "Export document"): one JSON document, built from
// sections that are read lazily, in keyset-paginated batches, so that the HTTP download writes
// a customer with millions of events in flat memory. The GraphQL field collects the same sections.
import type { PrismaClient } from '../../db/client';
import type { Customer } from '../../generated/prisma/client';
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { formatCustomerNumber } from '../customer/customer.fields';

/** Version of the document's shape: raised when a field changes meaning or goes away. */
export const EXPORT_FORMAT = 'customer-data-export';
export const EXPORT_VERSION = 1;
/** Rows read per statement while exporting. */
export const EXPORT_BATCH = 500;

/** A section: a value, a list read in batches, or named sub-sections (written in this order). */
export type Section =
  | { one: () => Promise<unknown> }
  | { rows: () => AsyncIterable<unknown> }
  | { fields: ExportSections };
export type ExportSections = [name: string, section: Section][];

// Columns stored as calendar dates (@db.Date): written as YYYY-MM-DD, not as instants.
const DATE_ONLY = new Set(['birthDate', 'startDate', 'endDate', 'incidentDate', 'previousEndDate', 'newEndDate']);

/** JSON of one stored value: instants in ISO 8601 UTC, money as decimal strings, big ids as strings. */
export function exportValue(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)?.[key]; // before Date#toJSON ran
  if (raw instanceof Date) return DATE_ONLY.has(key) ? raw.toISOString().slice(0, 10) : raw.toISOString();
  if (raw instanceof Decimal) return raw.toFixed();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

const stringify = (value: unknown) => JSON.stringify(value, exportValue);

/** A row as far as keyset pagination needs it. */
type Keyset = { id: unknown } & Record<string, unknown>;

/** Reads a list batch by batch: `fetch(after)` returns the rows after the last one of the previous batch. */
function batched<T extends Keyset>(fetch: (after: Keyset | null) => Promise<T[]>): () => AsyncIterable<T> {
  return async function* () {
    let after: Keyset | null = null;
    for (;;) {
      const rows = await fetch(after);
      yield* rows;
      if (rows.length < EXPORT_BATCH) return;
      after = rows[rows.length - 1];
    }
  };
}

/** Keyset condition "after (time, id)" for a Prisma `where`, in ascending order. */
function afterKey(time: string, after: Keyset | null): Record<never, never> {
  if (!after) return {};
  return { OR: [{ [time]: { gt: after[time] } }, { [time]: after[time], id: { gt: after.id } }] };
}

/** Every section about one customer, in document order. Nothing is read until it is written. */
export function exportSections(prisma: PrismaClient, customer: Customer): ExportSections {
  const customerId = customer.id;
  const take = EXPORT_BATCH;
  const account = () => prisma.loyaltyAccount.findUnique({ where: { customerId } });
  const accountId = async () => (await account())?.id ?? '00000000-0000-0000-0000-000000000000';
  let cachedAccountId: Promise<string> | undefined;
  const loyaltyAccountId = () => (cachedAccountId ??= accountId());

  return [
    ['customer', { one: async () => ({ ...customer, customerNumber: formatCustomerNumber(customer.number) }) }],
    [
      'addresses',
      {
        rows: async function* () {
          yield* await prisma.address.findMany({
            where: { customerId },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          });
        },
      },
    ],
    [
      'consentHistory',
      {
        rows: batched((after) =>
          prisma.consentChange.findMany({
            where: { customerId, ...afterKey('changedAt', after) },
            orderBy: [{ changedAt: 'asc' }, { id: 'asc' }],
            take,
          }),
        ),
      },
    ],
    [
      'loyalty',
      {
        fields: [
          ['account', { one: account }],
          [
            'ledger',
            {
              rows: batched(async (after) =>
                prisma.ledgerEntry.findMany({
                  where: { accountId: await loyaltyAccountId(), ...afterKey('createdAt', after) },
                  orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
                  take,
                }),
              ),
            },
          ],
          [
            'tierChanges',
            {
              rows: batched(async (after) =>
                prisma.loyaltyTierChange.findMany({
                  where: { accountId: await loyaltyAccountId(), ...afterKey('createdAt', after) },
                  orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
                  take,
                }),
              ),
            },
          ],
          [
            'rewardRedemptions',
            {
              rows: batched(async (after) =>
                prisma.rewardRedemption.findMany({
                  where: { accountId: await loyaltyAccountId(), ...afterKey('createdAt', after) },
                  orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
                  include: { reward: { select: { name: true } } },
                  take,
                }),
              ),
            },
          ],
        ],
      },
    ],
    [
      'orders',
      {
        rows: batched((after) =>
          prisma.order.findMany({
            where: { customerId, ...afterKey('placedAt', after) },
            orderBy: [{ placedAt: 'asc' }, { id: 'asc' }],
            take,
          }),
        ),
      },
    ],
    [
      'feedback',
      {
        rows: batched((after) =>
          prisma.feedback.findMany({
            where: { customerId, ...afterKey('createdAt', after) },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            take,
          }),
        ),
      },
    ],
    [
      'policies',
      {
        // Each policy with its premium changes, renewals and claims (a handful each).
        rows: batched((after) =>
          prisma.policy.findMany({
            where: { customerId, ...afterKey('createdAt', after) },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            include: {
              premiumChanges: { orderBy: [{ changedAt: 'asc' }, { id: 'asc' }] },
              renewals: { orderBy: [{ renewedAt: 'asc' }, { id: 'asc' }] },
              claims: { orderBy: [{ filedAt: 'asc' }, { id: 'asc' }] },
            },
            take,
          }),
        ),
      },
    ],
    [
      'segmentMemberships',
      {
        rows: async function* () {
          const rows = await prisma.segmentMembership.findMany({
            where: { customerId },
            orderBy: [{ joinedAt: 'asc' }, { segmentId: 'asc' }],
            include: { segment: { select: { name: true } } },
          });
          yield* rows.map(({ segment, ...m }) => ({ ...m, segmentName: segment.name }));
        },
      },
    ],
    [
      'segmentHistory',
      {
        rows: batched((after) =>
          prisma.segmentMembershipChange.findMany({
            where: { customerId, ...(after ? { id: { gt: after.id as bigint } } : {}) },
            orderBy: { id: 'asc' },
            take,
          }),
        ),
      },
    ],
    [
      'events',
      {
        // In the order of the (customer_id, type, occurred_at) index, so that every batch is a
        // short index range however long the history: by type, then oldest first.
        rows: batched((after) =>
          after
            ? prisma.$queryRaw<Keyset[]>`
                SELECT id, customer_id AS "customerId", type, data, occurred_at AS "occurredAt", received_at AS "receivedAt",
                       event_id AS "eventId", session_id AS "sessionId", device
                FROM customer_events
                WHERE customer_id = ${customerId}::uuid
                  AND (type, occurred_at) >= (${after.type as string}, ${after.occurredAt as Date}::timestamptz)
                  AND (type, occurred_at, id) > (${after.type as string}, ${after.occurredAt as Date}::timestamptz, ${after.id as bigint}::bigint)
                ORDER BY type, occurred_at, id LIMIT ${take}`
            : prisma.$queryRaw<Keyset[]>`
                SELECT id, customer_id AS "customerId", type, data, occurred_at AS "occurredAt", received_at AS "receivedAt",
                       event_id AS "eventId", session_id AS "sessionId", device
                FROM customer_events WHERE customer_id = ${customerId}::uuid
                ORDER BY type, occurred_at, id LIMIT ${take}`,
        ),
      },
    ],
    [
      'notifications',
      {
        // Addressed to the customer, or to staff about the customer (their payload names them).
        rows: batched((after) =>
          prisma.notification.findMany({
            where: {
              OR: [{ customerId }, { customerId: null, payload: { path: ['customerId'], equals: customerId } }],
              ...afterKey('createdAt', after),
            },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            take,
          }),
        ),
      },
    ],
    [
      'auditTrail',
      {
        rows: batched((after) =>
          prisma.auditEntry.findMany({
            where: { customerId, ...(after ? { id: { gt: after.id as bigint } } : {}) },
            orderBy: { id: 'asc' },
            take,
          }),
        ),
      },
    ],
  ];
}

function header(): [string, unknown][] {
  return [
    ['format', EXPORT_FORMAT],
    ['version', EXPORT_VERSION],
    ['generatedAt', new Date().toISOString()],
  ];
}

/** The document as JSON text, piece by piece (each piece one row or less). */
export async function* exportJson(sections: ExportSections): AsyncGenerator<string> {
  let first = true;
  yield '{';
  for (const [name, value] of header()) {
    yield `${first ? '' : ','}${JSON.stringify(name)}:${stringify(value)}`;
    first = false;
  }
  yield* sectionsJson(sections, false);
  yield '}\n';
}

async function* sectionsJson(sections: ExportSections, first: boolean): AsyncGenerator<string> {
  for (const [name, section] of sections) {
    yield `${first ? '' : ','}${JSON.stringify(name)}:`;
    first = false;
    if ('one' in section) yield stringify(await section.one());
    else if ('fields' in section) {
      yield '{';
      yield* sectionsJson(section.fields, true);
      yield '}';
    } else {
      yield '[';
      let firstRow = true;
      for await (const row of section.rows()) {
        yield `${firstRow ? '' : ','}${stringify(row)}`;
        firstRow = false;
      }
      yield ']';
    }
  }
}

/** The same document as one value (the GraphQL field), equal to parsing exportJson's text. */
export async function exportDocument(sections: ExportSections): Promise<Record<string, unknown>> {
  let text = '';
  for await (const piece of exportJson(sections)) text += piece;
  return JSON.parse(text) as Record<string, unknown>;
}
