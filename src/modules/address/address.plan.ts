// Customer.addresses for the planner: all of a customer's addresses as one JSON array, in the
// order of the addressesByCustomerId loader (default first, then oldest), primed into it.
import type { Address } from '../../generated/prisma/client';
import type { Relation } from '../../graphql/plan/planner';
import type { AnswerShape } from '../../graphql/plan/answer';
import { globalIdSql } from '../../graphql/global-id';
import { decodeJsonRow, jsonRow, type TableShape } from '../../db/table-shape';

export const ADDRESS_TABLE: TableShape<Address> = {
  table: 'addresses',
  columns: {
    id: ['id', 'value'],
    customerId: ['customer_id', 'value'],
    label: ['label', 'value'],
    line1: ['line1', 'value'],
    line2: ['line2', 'value'],
    city: ['city', 'value'],
    region: ['region', 'value'],
    postalCode: ['postal_code', 'value'],
    country: ['country', 'value'],
    latitude: ['latitude', 'value'],
    longitude: ['longitude', 'value'],
    isDefault: ['is_default', 'value'],
    createdAt: ['created_at', 'timestamp'],
    updatedAt: ['updated_at', 'timestamp'],
  },
};

// The loader is shared by addresses and defaultAddress (and any other path to the customer), so
// the rows it is primed with are whole rows.
export const ADDRESS_ANSWER: AnswerShape<Address> = {
  type: 'Address',
  shape: ADDRESS_TABLE,
  computed: { id: (a) => globalIdSql('Address', `${a}.id`) },
};

const addressList = (value: string, parent: string) =>
  `SELECT coalesce(json_agg(${value} ORDER BY a.is_default DESC, a.created_at, a.id), '[]'::json) FROM addresses a WHERE a.customer_id = ${parent}.id`;

export const addressesRelation: Relation<{ id: string }> = {
  field: 'addresses',
  parentKeys: ['id'],
  answer: (parent, selected, render) => `(${addressList(render.object('Address', 'a', selected.children), parent)})`,
  plan: (parent) => ({
    sql: addressList(jsonRow(ADDRESS_TABLE, 'a'), parent),
    prime: (loaders, p, value) =>
      void loaders.addressesByCustomerId.prime(
        p.id,
        (value as unknown[][]).map((row) => decodeJsonRow(ADDRESS_TABLE, row)),
      ),
  }),
};
