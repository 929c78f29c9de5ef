import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { SUPERVISOR_ROLES } from '../../auth/actor';
import type { Customer as CustomerRow } from '../../generated/prisma/client';
import type { Context } from '../../graphql/context';
import { ConnectionArgs, fromGlobalId, NODE_TYPES, toConnection, toGlobalId, type NodeType } from '../../graphql/relay';
import { DomainError } from '../../shared/domain-error';
import { pageSize } from '../../shared/pagination';
import { Customer } from '../customer/customer.type';
import { StaffUser } from '../staff/staff.type';
import { AuditEntryFilter } from './audit.input';
import { parseAuditCursor, type AuditListFilter } from './audit.service';
import { AuditEntry, AuditEntryConnection, type AuditEntryRow } from './audit.type';

const NODE_TYPE_NAMES: ReadonlySet<string> = new Set(NODE_TYPES);

/** The filter with its global IDs decoded; a malformed ID is a VALIDATION error at its field. */
function listFilter(filter: AuditEntryFilter | null): AuditListFilter | null {
  if (!filter) return null;
  const decode = (value: string | null | undefined, type: NodeType, field: string) => {
    if (value == null) return value;
    const decoded = fromGlobalId(value, type);
    if (!decoded) throw new DomainError('VALIDATION', `${field} is not a ${type} ID`, ['filter', field]);
    return decoded.id;
  };
  let { entityType, entityId } = filter;
  const entity = entityId == null ? null : fromGlobalId(entityId);
  if (entity) {
    if (entityType && entityType !== entity.type)
      throw new DomainError('VALIDATION', `entityId is a ${entity.type} ID, not a ${entityType} one`, [
        'filter',
        'entityId',
      ]);
    entityType = entity.type;
    entityId = entity.id;
  }
  return {
    ...filter,
    entityType,
    entityId,
    customerId: decode(filter.customerId, 'Customer', 'customerId'),
    actorId: decode(filter.actorId, 'StaffUser', 'actorId'),
  };
}

@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @Authorized(SUPERVISOR_ROLES)
  @Query(() => AuditEntryConnection, {
    description: 'The audit trail, newest first, filtered by entity, customer, actor, action and time (MANAGER/ADMIN).',
  })
  async auditEntries(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => AuditEntryFilter, { nullable: true }) filter: AuditEntryFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await ctx.services.audit.list(listFilter(filter), page));
  }

  @FieldResolver(() => ID, { nullable: true })
  entityId(@Root() e: AuditEntryRow): string | null {
    if (e.entityId === null) return null;
    return NODE_TYPE_NAMES.has(e.entityType) ? toGlobalId(e.entityType as NodeType, e.entityId) : e.entityId;
  }

  @FieldResolver(() => StaffUser, { nullable: true, description: 'Who acted (null: the system, or a removed user).' })
  actor(@Root() e: AuditEntryRow, @Ctx() ctx: Context) {
    return e.actorId ? ctx.loaders.staffById.load(e.actorId) : null;
  }

  @FieldResolver(() => Customer, {
    nullable: true,
    description: 'The customer the entry is about (null: none, or erased).',
  })
  customer(@Root() e: AuditEntryRow, @Ctx() ctx: Context) {
    return e.customerId ? ctx.loaders.customerById.load(e.customerId) : null;
  }
}

/** Customer.auditTrail, batched per request for all customers of a list. */
@Resolver(() => Customer)
export class CustomerAuditTrailResolver {
  @Authorized(SUPERVISOR_ROLES)
  @FieldResolver(() => AuditEntryConnection, {
    nullable: true,
    description:
      'Audit entries about the customer and what it owns (addresses, orders, policies, claims, feedback, loyalty), newest first (MANAGER/ADMIN; FORBIDDEN for others).',
  })
  async auditTrail(@Root() c: CustomerRow, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    const first = pageSize(page);
    const after = page.after ? parseAuditCursor(page.after) : null;
    return toConnection(await ctx.loaders.auditTrailPageByCustomer.load({ customerId: c.id, first, after }));
  }
}
