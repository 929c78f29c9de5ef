import { isSupervisor, ownerScope, type Actor } from '../../auth/actor';
import { assertVisibleTo, isMaskedFor } from '../../auth/masking';
import { estimateRows, type PrismaClient, type Tx } from '../../db/client';
import type { Customer, Prisma } from '../../generated/prisma/client';
import type { CustomerStatus } from '../../generated/prisma/enums';
import { fromLocalDate } from '../../shared/dates';
import { DomainError, notFound, Validator } from '../../shared/domain-error';
import { decodeCursor, encodeCursor, pageOf, pageSize, type Page, type PageRequest } from '../../shared/pagination';
import { isUniqueViolation } from '../../db/errors';
import { sqlOf, type SqlTx, type Transact } from '../../db/transaction';
import { normaliseAddress, validateAddress, type AddressFields } from '../address/address.rules';
import { recordAudit } from '../audit/audit';
import { scrubErasedCustomer } from '../privacy/privacy.scrub';
import { enqueueNotification } from '../notification/outbox';
import { lockCustomer } from './customer.lock';
import { updateCustomerWithAudit } from './customer.write';
import {
  afterCursor,
  customerOrderBy,
  customerWhere,
  cursorValues,
  SORT_DISCLOSES,
  sortKeySelect,
  type CustomerListFilter,
  type Direction,
  type SortField,
} from './customer.query';
import { normaliseCustomer, validateCustomer, type CustomerFields } from './customer.rules';
import { refuseStatusTransition } from './customer.status';

export interface CustomerCreateData extends CustomerFields {
  consent: { dataProcessing: boolean; marketing?: boolean | null };
  addresses?: (AddressFields & { isDefault?: boolean | null })[] | null;
  ownerId?: string | null;
}

export interface CustomerUpdateData extends CustomerFields {
  version: number;
  marketingConsent?: boolean | null;
  lastContactAt?: Date | null;
  ownerId?: string | null;
}

export interface StatusChange {
  status: CustomerStatus;
  reason?: string | null;
  version?: number | null;
}

export const MAX_ADDRESSES_ON_CREATE = 10;

/** Reads customers by id (in the order given, unknown ids left out). */
export type LoadCustomers = (ids: string[]) => Promise<Customer[]>;

/** Customers: the rules of SPEC §3 "Customers", each change in one transaction with its audit entry. */
export class CustomerService {
  /**
   * `transact`: the database's raw-SQL transaction (db.transaction) for the hot update path, whose
   * statements are raw SQL already; the other changes use Prisma's.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly transact: Transact,
  ) {}

  /**
   * The customer, or null when it does not exist or the actor may not see it. `load` reads rows by
   * id in place of Prisma (the GraphQL layer's planned statement); visibility is decided here either way.
   */
  async findVisible(actor: Actor, id: string, load?: LoadCustomers): Promise<Customer | null> {
    const customer = load ? ((await load([id]))[0] ?? null) : await this.prisma.customer.findUnique({ where: { id } });
    const scope = ownerScope(actor);
    return customer && (!scope || customer.ownerId === scope) ? customer : null;
  }

  /**
   * A page of the customers the actor may see. With `load`, Prisma reads only the keys of the page
   * (id and sort columns) and `load` reads the rows by id: filter, sort, cursor and visibility
   * stay here.
   */
  async list(
    actor: Actor,
    filter: CustomerListFilter | null | undefined,
    sort: { field: SortField; direction?: Direction | null } | null | undefined,
    page: PageRequest,
    load?: LoadCustomers,
  ): Promise<Page<Customer>> {
    const first = pageSize(page);
    const field = sort?.field ?? 'CREATED_AT';
    const direction = sort?.direction ?? (sort ? 'ASC' : 'DESC');
    assertVisibleTo(actor.role, 'Customer', SORT_DISCLOSES[field], ['sort', 'field']);
    const where = customerWhere(filter, {
      ownerId: ownerScope(actor),
      personalDataMasked: isMaskedFor(actor.role, 'Customer', 'email') || isMaskedFor(actor.role, 'Customer', 'phone'),
    });
    const after = page.after ? afterCursor(field, direction, decodeCursor(page.after)) : null;
    const query = {
      where: after ? { AND: [where, after] } : where,
      orderBy: customerOrderBy(field, direction),
      take: first + 1,
    };
    const count = () => this.prisma.customer.count({ where });
    // The same WHERE as the count (filter and visibility), explained rather than run.
    const totalCountEstimate = () => estimateRows(() => this.prisma.customer.findMany({ where, select: { id: true } }));
    const cursorOf = (node: Customer) => encodeCursor(cursorValues(node, field));
    if (!load)
      return {
        ...pageOf(await this.prisma.customer.findMany(query), first, cursorOf, page.after, count),
        totalCountEstimate,
      };
    const keys = (await this.prisma.customer.findMany({ ...query, select: sortKeySelect(field) })) as Customer[];
    const result = { ...pageOf(keys, first, cursorOf, page.after, count), totalCountEstimate };
    const rows = new Map((await load(result.items.map((item) => item.node.id))).map((row) => [row.id, row]));
    // A row erased between the two statements leaves the page.
    return {
      ...result,
      items: result.items.flatMap((item) => {
        const node = rows.get(item.node.id);
        return node
          ? [
              {
                node,
                get cursor() {
                  return item.cursor; // encoded only when selected
                },
              },
            ]
          : [];
      }),
    };
  }

  async create(actor: Actor, input: CustomerCreateData): Promise<Customer> {
    const data = normaliseCustomer(input);
    const addresses = (input.addresses ?? []).map(normaliseAddress);
    const v = new Validator();
    validateCustomer(v, data, false);
    v.check(
      input.consent.dataProcessing === true,
      ['input', 'consent', 'dataProcessing'],
      'Consent to data processing is required to create a customer',
    );
    v.check(
      addresses.length <= MAX_ADDRESSES_ON_CREATE,
      ['input', 'addresses'],
      `At most ${MAX_ADDRESSES_ON_CREATE} addresses at once`,
      'LIMIT_EXCEEDED',
    );
    addresses.forEach((a, i) => validateAddress(v, a, ['input', 'addresses', String(i)]));
    v.check(
      addresses.filter((a) => a.isDefault).length <= 1,
      ['input', 'addresses'],
      'Only one address can be the default',
    );
    v.throwIfInvalid();

    const ownerId = await this.resolveOwner(actor, input.ownerId ?? undefined, true);
    const defaultIndex = Math.max(
      0,
      addresses.findIndex((a) => a.isDefault),
    );
    const now = new Date();
    return this.inTransaction(async (tx) => {
      await this.assertEmailFree(tx, data.email!);
      const customer = await tx.customer.create({
        data: {
          firstName: data.firstName!,
          lastName: data.lastName!,
          email: data.email!,
          phone: data.phone ?? null,
          birthDate: data.birthDate ? fromLocalDate(data.birthDate) : null,
          gender: data.gender ?? undefined,
          occupation: data.occupation ?? null,
          annualIncome: data.annualIncome ?? null,
          dependants: data.dependants ?? null,
          debts: data.debts ?? null,
          mortgageBalance: data.mortgageBalance ?? null,
          educationCosts: data.educationCosts ?? null,
          type: data.type ?? undefined,
          tags: data.tags ?? [],
          notes: data.notes ?? null,
          ...preferenceColumns(data.preferences),
          dataProcessingConsentAt: now,
          marketingConsent: input.consent.marketing === true,
          marketingConsentAt: input.consent.marketing ? now : null,
          ownerId,
          addresses: { create: addresses.map((a, i) => ({ ...addressColumns(a), isDefault: i === defaultIndex })) },
          loyaltyAccount: { create: {} },
          consentChanges: {
            create: [
              { kind: 'DATA_PROCESSING', granted: true, actorId: actor.id, source: 'customerCreate' },
              ...(input.consent.marketing
                ? [{ kind: 'MARKETING' as const, granted: true, actorId: actor.id, source: 'customerCreate' }]
                : []),
            ],
          },
        },
      });
      await enqueueNotification(tx, {
        type: 'WELCOME',
        customerId: customer.id,
        channel: customer.prefChannel,
        payload: { customerNumber: customer.number },
      });
      await recordAudit(tx, actor, {
        action: 'customer.create',
        entityType: 'Customer',
        entityId: customer.id,
        changedFields: Object.keys(input),
      });
      return customer;
    });
  }

  async update(actor: Actor, id: string, input: CustomerUpdateData): Promise<Customer> {
    const data = normaliseCustomer(input);
    const v = new Validator();
    validateCustomer(v, data, true);
    v.throwIfInvalid();
    return this.inSqlTransaction(async (tx) => {
      const current = await lockCustomer(tx, actor, id);
      if (current.status === 'DELETED')
        throw new DomainError('INVALID_TRANSITION', 'An anonymised customer cannot be changed', ['id']);
      if (current.version !== input.version) {
        throw new DomainError(
          'VERSION_CONFLICT',
          `Customer was changed meanwhile (version ${current.version}, you sent ${input.version}); reload and retry`,
          ['input', 'version'],
        );
      }
      const changes: Prisma.CustomerUncheckedUpdateInput = {};
      const set = <K extends keyof Prisma.CustomerUncheckedUpdateInput>(
        key: K,
        value: Prisma.CustomerUncheckedUpdateInput[K] | undefined,
      ) => {
        if (value !== undefined) changes[key] = value;
      };
      set('firstName', data.firstName ?? undefined);
      set('lastName', data.lastName ?? undefined);
      set('email', data.email ?? undefined);
      set('phone', data.phone);
      set('birthDate', data.birthDate === undefined ? undefined : data.birthDate && fromLocalDate(data.birthDate));
      set('gender', data.gender ?? undefined);
      set('occupation', data.occupation);
      set('annualIncome', data.annualIncome);
      set('dependants', data.dependants);
      set('debts', data.debts);
      set('mortgageBalance', data.mortgageBalance);
      set('educationCosts', data.educationCosts);
      set('type', data.type ?? undefined);
      set('tags', data.tags ?? undefined);
      set('notes', data.notes);
      set('lastContactAt', input.lastContactAt);
      Object.assign(changes, preferenceColumns(data.preferences));
      if (input.marketingConsent != null && input.marketingConsent !== current.marketingConsent) {
        if (input.marketingConsent && !current.dataProcessingConsentAt)
          throw new DomainError('CONSENT_REQUIRED', 'Marketing consent needs consent to data processing', [
            'input',
            'marketingConsent',
          ]);
        changes.marketingConsent = input.marketingConsent;
        changes.marketingConsentAt = input.marketingConsent ? new Date() : null;
        await tx.query(
          `INSERT INTO consent_changes (customer_id, kind, granted, actor_id, source)
           VALUES ($1::uuid, 'MARKETING', $2, $3::uuid, 'customerUpdate')`,
          [id, input.marketingConsent, actor.id],
        );
      }
      if (input.ownerId !== undefined && input.ownerId !== current.ownerId) {
        if (!isSupervisor(actor))
          throw new DomainError('FORBIDDEN', 'Only a manager or admin can change the owner', ['input', 'ownerId']);
        changes.ownerId = await this.resolveOwner(actor, input.ownerId ?? undefined, false, tx);
      }
      if (data.email && data.email !== current.email) await this.assertEmailFree(tx, data.email);
      const changed = Object.keys(changes).filter(
        (key) => !sameValue((current as Record<string, unknown>)[key], (changes as Record<string, unknown>)[key]),
      );
      if (changed.length === 0) return current;
      return updateCustomerWithAudit(tx, actor, id, changes as Partial<Customer>, {
        action: 'customer.update',
        entityType: 'Customer',
        entityId: id,
        changedFields: changed,
      });
    });
  }

  async changeStatus(actor: Actor, id: string, change: StatusChange): Promise<Customer> {
    return this.inTransaction(async (tx) => {
      const current = await lockCustomer(tx, actor, id);
      if (change.version != null && change.version !== current.version) {
        throw new DomainError('VERSION_CONFLICT', `Customer was changed meanwhile (version ${current.version})`, [
          'input',
          'version',
        ]);
      }
      const refusal = refuseStatusTransition(current.status, change.status, actor.role);
      if (refusal) throw new DomainError(refusal.code, refusal.message, ['input', 'status']);
      const updated = await tx.customer.update({
        where: { id },
        data: { status: change.status, version: { increment: 1 } },
      });
      await recordAudit(tx, actor, {
        action: `customer.status.${current.status}->${change.status}`,
        entityType: 'Customer',
        entityId: id,
        changedFields: ['status'],
        reason: change.reason,
      });
      return updated;
    });
  }

  /** Adds and removes tags in one change (used by the bulk operation). */
  async retag(actor: Actor, id: string, add: string[], remove: string[]): Promise<Customer> {
    return this.inTransaction(async (tx) => {
      const current = await lockCustomer(tx, actor, id);
      const removed = normaliseCustomer({ tags: remove }).tags!; // stored tags are normalised, so compare normalised
      const normalised = normaliseCustomer({ tags: [...current.tags.filter((t) => !removed.includes(t)), ...add] })
        .tags!;
      const v = new Validator();
      validateCustomer(v, { tags: normalised }, true);
      v.throwIfInvalid();
      if (sameValue(current.tags, normalised)) return current;
      const updated = await tx.customer.update({
        where: { id },
        data: { tags: normalised, version: { increment: 1 } },
      });
      await recordAudit(tx, actor, {
        action: 'customer.update',
        entityType: 'Customer',
        entityId: id,
        changedFields: ['tags'],
      });
      return updated;
    });
  }

  /** Assigns an owner (MANAGER/ADMIN; used by the bulk operation). */
  async assignOwner(actor: Actor, id: string, ownerId: string | null): Promise<Customer> {
    if (!isSupervisor(actor))
      throw new DomainError('FORBIDDEN', 'Only a manager or admin can change the owner', ['input', 'ownerId']);
    const owner = await this.resolveOwner(actor, ownerId ?? undefined, false);
    return this.inTransaction(async (tx) => {
      const current = await lockCustomer(tx, actor, id);
      if (current.ownerId === owner) return current;
      const updated = await tx.customer.update({ where: { id }, data: { ownerId: owner, version: { increment: 1 } } });
      await recordAudit(tx, actor, {
        action: 'customer.update',
        entityType: 'Customer',
        entityId: id,
        changedFields: ['ownerId'],
      });
      return updated;
    });
  }

  /**
   * Erases the customer and, by cascade, everything held about them. What lives elsewhere loses
   * the person (scrubErasedCustomer): staff notifications that named them, and the audit, which
   * keeps that an erasure happened, not whom it concerned.
   */
  async delete(actor: Actor, id: string): Promise<void> {
    await this.inTransaction(async (tx) => {
      await lockCustomer(tx, actor, id);
      await tx.customer.delete({ where: { id } });
      await scrubErasedCustomer(tx, id);
      await recordAudit(tx, actor, { action: 'customer.erase', entityType: 'Customer', entityId: null });
    });
  }

  private inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.mapErrors(() => this.prisma.$transaction(fn));
  }

  /** db.transaction: raw statements on one connection, without Prisma's transaction machinery (the hot path). */
  private inSqlTransaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.mapErrors(() => this.transact(fn));
  }

  /** A transaction's unique violations as the user errors they are. */
  private async mapErrors<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isUniqueViolation(error, 'email'))
        throw new DomainError('DUPLICATE', 'Another customer already has this e-mail', ['input', 'email']);
      throw error;
    }
  }

  private async assertEmailFree(tx: Tx | SqlTx, email: string): Promise<void> {
    const clash = await sqlOf(tx).query('SELECT id FROM customers WHERE email = $1', [email]);
    if (clash.length > 0)
      throw new DomainError('DUPLICATE', 'Another customer already has this e-mail', ['input', 'email']);
  }

  /** Agents own what they create; others may name any active staff member (or nobody). */
  private async resolveOwner(
    actor: Actor,
    ownerId: string | undefined,
    creating: boolean,
    tx?: Tx | SqlTx,
  ): Promise<string | null> {
    if (actor.role === 'AGENT' && creating) {
      if (ownerId && ownerId !== actor.id)
        throw new DomainError('FORBIDDEN', 'Agents can only create customers they own', ['input', 'ownerId']);
      return actor.id;
    }
    if (!ownerId) return null;
    // Inside a transaction: its connection (PGlite has one).
    const owner = tx
      ? (
          await sqlOf(tx).query<{ id: string; active: boolean }>(
            'SELECT id, active FROM staff_users WHERE id = $1::uuid',
            [ownerId],
          )
        )[0]
      : await this.prisma.staffUser.findUnique({ where: { id: ownerId }, select: { id: true, active: true } });
    if (!owner?.active) throw notFound('Owner', ['input', 'ownerId']);
    return owner.id;
  }
}

type PreferenceColumns = Partial<
  Pick<Customer, 'prefLanguage' | 'prefCurrency' | 'prefTimezone' | 'prefChannel' | 'paperless' | 'autoRenewal'>
>;

function preferenceColumns(p: CustomerFields['preferences']): PreferenceColumns {
  const columns: PreferenceColumns = {};
  if (p?.language != null) columns.prefLanguage = p.language;
  if (p?.currency != null) columns.prefCurrency = p.currency;
  if (p?.timezone != null) columns.prefTimezone = p.timezone;
  if (p?.preferredChannel != null) columns.prefChannel = p.preferredChannel;
  if (p?.paperless != null) columns.paperless = p.paperless;
  if (p?.autoRenewal != null) columns.autoRenewal = p.autoRenewal;
  return columns;
}

export function addressColumns(a: AddressFields) {
  return {
    label: a.label ?? null,
    line1: a.line1!,
    line2: a.line2 ?? null,
    city: a.city!,
    region: a.region ?? null,
    postalCode: a.postalCode ?? null,
    country: a.country!,
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a && b && typeof a === 'object' && 'equals' in a && typeof (a as { equals: unknown }).equals === 'function')
    return (a as { equals(x: unknown): boolean }).equals(b);
  return JSON.stringify(a) === JSON.stringify(b);
}
