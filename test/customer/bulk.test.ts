import { toGlobalId } from '../../src/graphql/relay';
import { graphql } from '../generated';
import { insertCustomer, insertCustomers } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const BulkStatus = graphql(`
  mutation BulkStatus($input: CustomerBulkStatusInput!) {
    customerBulkUpdateStatus(input: $input) {
      succeeded
      failed
      results { id success customer { id status version } userErrors { code field } }
      userErrors { code field }
    }
  }
`);

const BulkTags = graphql(`
  mutation BulkTags($input: CustomerBulkTagsInput!) {
    customerBulkUpdateTags(input: $input) {
      succeeded
      failed
      results { id success customer { id tags version } userErrors { code field } }
      userErrors { code field }
    }
  }
`);

const BulkOwner = graphql(`
  mutation BulkOwner($input: CustomerBulkOwnerInput!) {
    customerBulkAssignOwner(input: $input) {
      succeeded
      failed
      results { id success customer { id owner { id } } userErrors { code field } }
      userErrors { code field }
    }
  }
`);

const BulkDelete = graphql(`
  mutation BulkDelete($input: CustomerBulkInput!) {
    customerBulkDelete(input: $input) {
      succeeded
      failed
      results { id success customer { id } userErrors { code field } }
      userErrors { code field }
    }
  }
`);

const UNKNOWN = toGlobalId('Customer', '00000000-0000-4000-8000-00000000beef');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// The unknown id's error path is the bad-input suite's subject; here it only has to be NOT_FOUND for that item.
const notFoundAt = (_index: number) => [expect.objectContaining({ code: 'NOT_FOUND' })];

describe('customerBulkUpdateStatus', () => {
  it('changes every customer it can and reports the unknown id and the illegal transition in place', async () => {
    const [a, b] = await insertCustomers(server.db, 2, { ownerId: server.staffIds.agent });
    const inactive = await insertCustomer(server.db, { ownerId: server.staffIds.agent, status: 'INACTIVE' });
    const res = await server.gql(
      BulkStatus,
      {
        input: {
          ids: [a.globalId, UNKNOWN, inactive.globalId, b.globalId],
          status: 'INACTIVE',
          reason: 'campaign ended',
        },
      },
      'agent',
    );
    expect(res.errors).toBeUndefined();
    const payload = res.data!.customerBulkUpdateStatus;
    expect(payload.userErrors).toEqual([]);
    expect(payload).toMatchObject({ succeeded: 2, failed: 2 });
    expect(payload.results).toEqual([
      { id: a.globalId, success: true, customer: { id: a.globalId, status: 'INACTIVE', version: 2 }, userErrors: [] },
      { id: UNKNOWN, success: false, customer: null, userErrors: notFoundAt(1) },
      {
        id: inactive.globalId,
        success: false,
        customer: null,
        userErrors: [{ code: 'INVALID_TRANSITION', field: ['input', 'status'] }],
      },
      { id: b.globalId, success: true, customer: { id: b.globalId, status: 'INACTIVE', version: 2 }, userErrors: [] },
    ]);
    const stored = await server.db.prisma.customer.findMany({
      where: { id: { in: [a.id, b.id, inactive.id] } },
      select: { id: true, status: true, version: true },
    });
    expect(new Map(stored.map((r) => [r.id, [r.status, r.version]]))).toEqual(
      new Map([
        [a.id, ['INACTIVE', 2]],
        [b.id, ['INACTIVE', 2]],
        [inactive.id, ['INACTIVE', 1]],
      ]),
    );
    const audit = await server.db.prisma.auditEntry.findMany({
      where: { entityId: { in: [a.id, b.id, inactive.id] } },
    });
    expect(audit.map((e) => [e.entityId, e.action, e.actorId]).sort()).toEqual(
      [
        [a.id, 'customer.status.ACTIVE->INACTIVE', server.staffIds.agent],
        [b.id, 'customer.status.ACTIVE->INACTIVE', server.staffIds.agent],
      ].sort(),
    );
  });

  it('a manager suspends several customers at once', async () => {
    const customers = await insertCustomers(server.db, 3);
    const res = await server.gql(
      BulkStatus,
      { input: { ids: customers.map((c) => c.globalId), status: 'SUSPENDED' } },
      'manager',
    );
    expect(res.data!.customerBulkUpdateStatus).toMatchObject({ succeeded: 3, failed: 0 });
    expect(
      await server.db.prisma.customer.count({ where: { id: { in: customers.map((c) => c.id) }, status: 'SUSPENDED' } }),
    ).toBe(3);
  });
});

describe('customerBulkUpdateTags', () => {
  it('removes, then adds, normalised tags on each customer; the unknown id fails alone', async () => {
    const a = await insertCustomer(server.db, { tags: ['old', 'keep'] });
    const b = await insertCustomer(server.db, { tags: ['keep'] });
    const c = await insertCustomer(server.db, { tags: ['vip', 'old'] });
    const res = await server.gql(BulkTags, {
      input: { ids: [a.globalId, b.globalId, UNKNOWN, c.globalId], add: [' VIP ', 'Gold', 'gold'], remove: [' OLD '] },
    });
    expect(res.errors).toBeUndefined();
    const payload = res.data!.customerBulkUpdateTags;
    expect(payload).toMatchObject({ succeeded: 3, failed: 1, userErrors: [] });
    expect(
      payload.results!.map((r) => [
        r.id,
        r.success,
        r.customer?.tags ? [...r.customer.tags].sort() : null,
        r.userErrors,
      ]),
    ).toEqual([
      [a.globalId, true, ['gold', 'keep', 'vip'], []],
      [b.globalId, true, ['gold', 'keep', 'vip'], []],
      [UNKNOWN, false, null, notFoundAt(2)],
      [c.globalId, true, ['gold', 'vip'], []],
    ]);
    const stored = await server.db.prisma.customer.findMany({ where: { id: { in: [a.id, b.id, c.id] } } });
    for (const row of stored) {
      expect(row.tags.every((t) => t === t.trim().toLowerCase())).toBe(true);
      expect(new Set(row.tags).size).toBe(row.tags.length);
      expect(row.tags).not.toContain('old');
      expect(row.version).toBe(2);
    }
    const audit = await server.db.prisma.auditEntry.findMany({ where: { entityId: { in: [a.id, b.id, c.id] } } });
    expect(audit.map((e) => [e.action, e.changedFields])).toEqual([
      ['customer.update', ['tags']],
      ['customer.update', ['tags']],
      ['customer.update', ['tags']],
    ]);
  });

  it('a customer whose tags do not change keeps its version', async () => {
    const a = await insertCustomer(server.db, { tags: ['vip'] });
    const res = await server.gql(BulkTags, { input: { ids: [a.globalId], add: ['VIP'], remove: ['absent'] } });
    expect(res.data!.customerBulkUpdateTags.results![0]).toMatchObject({
      success: true,
      customer: { tags: ['vip'], version: 1 },
    });
  });
});

describe('customerBulkAssignOwner', () => {
  it('assigns the owner to every known customer and reports the unknown one', async () => {
    const [a, b, c] = await insertCustomers(server.db, 3, { ownerId: server.staffIds.agent });
    const owner = toGlobalId('StaffUser', server.staffIds.otherAgent);
    const res = await server.gql(
      BulkOwner,
      { input: { ids: [a.globalId, UNKNOWN, b.globalId, c.globalId], ownerId: owner } },
      'manager',
    );
    expect(res.errors).toBeUndefined();
    const payload = res.data!.customerBulkAssignOwner;
    expect(payload).toMatchObject({ succeeded: 3, failed: 1, userErrors: [] });
    expect(payload.results!.map((r) => [r.id, r.success, r.customer?.owner?.id ?? null, r.userErrors])).toEqual([
      [a.globalId, true, owner, []],
      [UNKNOWN, false, null, notFoundAt(1)],
      [b.globalId, true, owner, []],
      [c.globalId, true, owner, []],
    ]);
    expect(
      await server.db.prisma.customer.count({
        where: { id: { in: [a.id, b.id, c.id] }, ownerId: server.staffIds.otherAgent },
      }),
    ).toBe(3);
    const audit = await server.db.prisma.auditEntry.findMany({ where: { entityId: { in: [a.id, b.id, c.id] } } });
    expect(audit.map((e) => [e.action, e.changedFields, e.actorRole])).toEqual(
      Array(3).fill(['customer.update', ['ownerId'], 'MANAGER']),
    );
  });

  it('ownerId null removes the owner', async () => {
    const [a, b] = await insertCustomers(server.db, 2, { ownerId: server.staffIds.agent });
    const res = await server.gql(BulkOwner, { input: { ids: [a.globalId, b.globalId], ownerId: null } }, 'admin');
    expect(res.data!.customerBulkAssignOwner.results!.map((r) => [r.success, r.customer?.owner])).toEqual([
      [true, null],
      [true, null],
    ]);
    expect(await server.db.prisma.customer.count({ where: { id: { in: [a.id, b.id] }, ownerId: null } })).toBe(2);
  });
});

describe('customerBulkDelete', () => {
  it('erases every known customer (with their addresses and accounts) and reports the unknown one', async () => {
    const [a, b, c] = await insertCustomers(server.db, 3, { addresses: 2 });
    const survivor = await insertCustomer(server.db);
    const res = await server.gql(
      BulkDelete,
      { input: { ids: [a.globalId, b.globalId, UNKNOWN, c.globalId] } },
      'manager',
    );
    expect(res.errors).toBeUndefined();
    const payload = res.data!.customerBulkDelete;
    expect(payload).toMatchObject({ succeeded: 3, failed: 1, userErrors: [] });
    expect(payload.results!.map((r) => [r.id, r.success, r.customer, r.userErrors])).toEqual([
      [a.globalId, true, null, []],
      [b.globalId, true, null, []],
      [UNKNOWN, false, null, notFoundAt(2)],
      [c.globalId, true, null, []],
    ]);
    const ids = [a.id, b.id, c.id];
    expect(await server.db.prisma.customer.count({ where: { id: { in: ids } } })).toBe(0);
    expect(await server.db.prisma.address.count({ where: { customerId: { in: ids } } })).toBe(0);
    expect(await server.db.prisma.loyaltyAccount.count({ where: { customerId: { in: ids } } })).toBe(0);
    expect(await server.db.prisma.customer.count({ where: { id: survivor.id } })).toBe(1);
    expect(
      await server.db.prisma.auditEntry.count({
        where: { action: 'customer.erase', entityId: null, actorId: server.staffIds.manager },
      }),
    ).toBe(3);
  });
});
