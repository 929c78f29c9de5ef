import type { Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import type { Address } from '../../generated/prisma/client';
import { DomainError, notFound, Validator } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import { lockCustomer } from '../customer/customer.lock';
import { addressColumns } from '../customer/customer.service';
import { normaliseAddress, validateAddress, type AddressFields } from './address.rules';

export const MAX_ADDRESSES_PER_CUSTOMER = 20;

/**
 * Addresses keep one invariant: a customer with addresses has exactly one default. Every change
 * locks the customer row first, so concurrent changes (from any instance) apply one at a time,
 * and a partial unique index refuses a second default should anything slip past.
 */
export class AddressService {
  constructor(private readonly prisma: PrismaClient) {}

  async create(
    actor: Actor,
    customerId: string,
    input: AddressFields & { isDefault?: boolean | null },
  ): Promise<Address> {
    const address = normaliseAddress(input);
    const v = new Validator();
    validateAddress(v, address, ['input']);
    v.throwIfInvalid();
    return this.prisma.$transaction(async (tx) => {
      await lockCustomer(tx, actor, customerId, ['customerId']);
      const count = await tx.address.count({ where: { customerId } });
      if (count >= MAX_ADDRESSES_PER_CUSTOMER)
        throw new DomainError('LIMIT_EXCEEDED', `A customer can have at most ${MAX_ADDRESSES_PER_CUSTOMER} addresses`, [
          'customerId',
        ]);
      const makeDefault = count === 0 || input.isDefault === true;
      if (makeDefault)
        await tx.address.updateMany({ where: { customerId, isDefault: true }, data: { isDefault: false } });
      const created = await tx.address.create({
        data: { ...addressColumns(address), customerId, isDefault: makeDefault },
      });
      await this.audit(tx, actor, 'address.create', created.id, Object.keys(input));
      return created;
    });
  }

  async update(actor: Actor, id: string, input: AddressFields): Promise<Address> {
    const changes = normaliseAddress(input);
    const v = new Validator();
    validateAddress(v, changes, ['input'], true);
    v.throwIfInvalid();
    return this.prisma.$transaction(async (tx) => {
      const current = await this.lockAddress(tx, actor, id);
      const data = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      // Coordinates are a pair: judge the address as it will be, not just the fields sent.
      const latitude = changes.latitude !== undefined ? changes.latitude : current.latitude;
      const longitude = changes.longitude !== undefined ? changes.longitude : current.longitude;
      if ((latitude === null) !== (longitude === null)) {
        throw new DomainError('VALIDATION', 'Give latitude and longitude together', [
          'input',
          changes.latitude !== undefined ? 'latitude' : 'longitude',
        ]);
      }
      const updated = await tx.address.update({ where: { id }, data });
      await this.audit(tx, actor, 'address.update', id, Object.keys(data));
      return updated;
    });
  }

  /** Removes an address; when it was the default, the oldest remaining one becomes the default. */
  async delete(actor: Actor, id: string): Promise<Address | null> {
    return this.prisma.$transaction(async (tx) => {
      const current = await this.lockAddress(tx, actor, id);
      await tx.address.delete({ where: { id } });
      let promoted: Address | null = null;
      if (current.isDefault) {
        const next = await tx.address.findFirst({
          where: { customerId: current.customerId },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
        if (next) promoted = await tx.address.update({ where: { id: next.id }, data: { isDefault: true } });
      }
      await this.audit(tx, actor, 'address.delete', id, [], current.customerId); // the row is gone: name its customer
      return promoted;
    });
  }

  /** Makes the address the default and unsets the old default, atomically. */
  async setDefault(actor: Actor, id: string): Promise<Address> {
    return this.prisma.$transaction(async (tx) => {
      const current = await this.lockAddress(tx, actor, id);
      if (current.isDefault) return current;
      await tx.address.updateMany({
        where: { customerId: current.customerId, isDefault: true },
        data: { isDefault: false },
      });
      const updated = await tx.address.update({ where: { id }, data: { isDefault: true } });
      await this.audit(tx, actor, 'address.setDefault', id, ['isDefault']);
      return updated;
    });
  }

  private async lockAddress(tx: Tx, actor: Actor, id: string): Promise<Address> {
    const address = await tx.address.findUnique({ where: { id } });
    if (!address) throw notFound('Address');
    // Another agent's customer's address is as unknown to the actor as one that does not exist.
    await lockCustomer(tx, actor, address.customerId, ['id']).catch((error: unknown) => {
      throw error instanceof DomainError ? notFound('Address') : error;
    });
    // Re-read under the lock: a concurrent change may have moved the default meanwhile.
    const locked = await tx.address.findUnique({ where: { id } });
    if (!locked) throw notFound('Address');
    return locked;
  }

  private async audit(
    tx: Tx,
    actor: Actor,
    action: string,
    addressId: string,
    fields: string[],
    customerId?: string,
  ): Promise<void> {
    await recordAudit(tx, actor, {
      action,
      entityType: 'Address',
      entityId: addressId,
      changedFields: fields,
      customerId,
    });
  }
}
