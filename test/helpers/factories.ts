import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/graphql/relay';
import type { TestDatabase } from './database';

let sequence = 0;

export interface CustomerSeed {
  firstName?: string;
  lastName?: string;
  email?: string;
  ownerId?: string | null;
  addresses?: number;
  tags?: string[];
  status?: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED' | 'DELETED';
  city?: string;
  country?: string;
  birthDate?: Date;
  totalSpent?: string;
  lastActivityAt?: Date | null;
  createdAt?: Date;
}

/**
 * Inserts a customer straight into the database (with addresses and a loyalty account) for
 * tests that need data but are not about creating it. Returns the row and its global id.
 */
export async function insertCustomer(db: TestDatabase, seed: CustomerSeed = {}) {
  sequence += 1;
  const tag = `${sequence}-${randomUUID().slice(0, 8)}`;
  const addresses = Array.from({ length: seed.addresses ?? 1 }, (_, i) => ({
    label: i === 0 ? 'Home' : `Other ${i}`,
    line1: `${i + 1} Test Street`,
    city: seed.city ?? 'Springfield',
    country: seed.country ?? 'US',
    isDefault: i === 0,
  }));
  const customer = await db.prisma.customer.create({
    data: {
      firstName: seed.firstName ?? 'Test',
      lastName: seed.lastName ?? `Customer${sequence}`,
      email: seed.email ?? `customer-${tag}@example.com`,
      phone: '+14155550123',
      ownerId: seed.ownerId ?? null,
      tags: seed.tags ?? [],
      status: seed.status ?? 'ACTIVE',
      birthDate: seed.birthDate ?? null,
      totalSpent: seed.totalSpent ?? '0',
      lastActivityAt: seed.lastActivityAt ?? null,
      createdAt: seed.createdAt ?? undefined,
      dataProcessingConsentAt: new Date(),
      addresses: { create: addresses },
      loyaltyAccount: { create: {} },
    },
  });
  return { ...customer, globalId: toGlobalId('Customer', customer.id) };
}

export async function insertCustomers(db: TestDatabase, count: number, seed: CustomerSeed = {}) {
  const rows = [];
  for (let i = 0; i < count; i++) rows.push(await insertCustomer(db, seed));
  return rows;
}
