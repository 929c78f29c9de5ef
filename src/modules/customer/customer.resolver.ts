import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  ID,
  Info,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import { SUPERVISOR_ROLES, WRITER_ROLES } from '../../auth/actor';
import { CustomerStatus } from '../../generated/prisma/enums';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload, UserError, userErrorsOf } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, decodeId } from '../../graphql/relay';
import { DomainError } from '../../shared/domain-error';
import {
  CustomerCreateInput,
  CustomerFilter,
  CustomerSort,
  CustomerStatusChangeInput,
  CustomerUpdateInput,
} from './customer.input';
import { customerLoader, findCustomer, listCustomers } from './customer.plan';
import { Customer } from './customer.type';

export const CustomerConnection = connectionOf(Customer, 'Customer', { countEstimate: true });
export const MAX_BULK_ITEMS = 100;

@ObjectType({ description: 'Result of a mutation on one customer.' })
class CustomerPayload extends Payload {
  @Field(() => Customer, { nullable: true }) customer?: unknown;
}

@ObjectType({ description: 'Result of customerDelete.' })
class CustomerDeletePayload extends Payload {
  @Field(() => ID, { nullable: true, description: 'Global ID of the erased customer.' }) deletedCustomerId?: string;
}

@ObjectType({ description: 'Outcome for one customer of a bulk operation.' })
class CustomerBulkResult {
  @Field(() => ID, { description: 'The ID as it was sent.' }) id!: string;
  @Field(() => Boolean) success!: boolean;
  @Field(() => Customer, {
    nullable: true,
    description: 'The customer after the change (null when it failed or was deleted).',
  })
  customer?: unknown;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'Per-customer results of a bulk operation; one failure does not undo the others.' })
class CustomerBulkPayload extends Payload {
  @Field(() => [CustomerBulkResult], { nullable: true }) results?: CustomerBulkResult[];
  @Field(() => Int, { nullable: true }) succeeded?: number;
  @Field(() => Int, { nullable: true }) failed?: number;
}

@InputType({ description: 'The customers a bulk operation applies to.' })
class CustomerBulkInput {
  @Field(() => [ID], { description: `1 to ${MAX_BULK_ITEMS} customer IDs.` }) ids!: string[];
}

@InputType({ description: 'Bulk status change.' })
class CustomerBulkStatusInput extends CustomerBulkInput {
  @Field(() => CustomerStatus) status!: CustomerStatus;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@InputType({ description: 'Bulk tag change: `add` is applied after `remove`.' })
class CustomerBulkTagsInput extends CustomerBulkInput {
  @Field(() => [String], { nullable: true }) add?: string[] | null;
  @Field(() => [String], { nullable: true }) remove?: string[] | null;
}

@InputType({ description: 'Bulk owner assignment (MANAGER/ADMIN).' })
class CustomerBulkOwnerInput extends CustomerBulkInput {
  @Field(() => ID, { nullable: true, description: 'Global ID of the new owner; null removes the owner.' }) ownerId?:
    | string
    | null;
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, {
    nullable: true,
    description: 'A customer by global ID; null when unknown or not visible to you.',
  })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return findCustomer(ctx, id, customerLoader(ctx, info));
  }

  @Query(() => CustomerConnection, { description: 'Search, filter and sort customers (agents see only their own).' })
  async customers(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => CustomerFilter, { nullable: true }) filter: CustomerFilter | null,
    @Arg('sort', () => CustomerSort, { nullable: true, description: 'Default: newest first.' })
    sort: CustomerSort | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return listCustomers(ctx, { ...page, filter, sort }, customerLoader(ctx, info, ['edges', 'node']));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => CustomerPayload, {
    description:
      'Creates a customer with addresses and a loyalty account, and queues a welcome notification, in one transaction.',
  })
  customerCreate(
    @Arg('input', () => CustomerCreateInput) input: CustomerCreateInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerPayload> {
    return payload(async () => {
      const ownerId =
        input.ownerId == null ? input.ownerId : decodeId(input.ownerId, 'StaffUser', ['input', 'ownerId']);
      return { customer: await ctx.services.customers.create(actorOf(ctx), { ...input, ownerId }) };
    });
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => CustomerPayload, { description: 'Changes a customer; `input.version` must be the current version.' })
  customerUpdate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CustomerUpdateInput) input: CustomerUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerPayload> {
    return payload(async () => {
      const ownerId =
        input.ownerId == null ? input.ownerId : decodeId(input.ownerId, 'StaffUser', ['input', 'ownerId']);
      return {
        customer: await ctx.services.customers.update(actorOf(ctx), decodeId(id, 'Customer', ['id']), {
          ...input,
          ownerId,
        }),
      };
    });
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => CustomerPayload, {
    description: 'Moves a customer to another status, following the allowed transitions.',
  })
  customerChangeStatus(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CustomerStatusChangeInput) input: CustomerStatusChangeInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerPayload> {
    return payload(async () => ({
      customer: await ctx.services.customers.changeStatus(actorOf(ctx), decodeId(id, 'Customer', ['id']), input),
    }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => CustomerDeletePayload, {
    description: 'Erases a customer and everything held about them (MANAGER/ADMIN).',
  })
  customerDelete(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CustomerDeletePayload> {
    return payload(async () => {
      await ctx.services.customers.delete(actorOf(ctx), decodeId(id, 'Customer', ['id']));
      return { deletedCustomerId: id };
    });
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => CustomerBulkPayload, { description: 'Changes the status of many customers; reports each one.' })
  customerBulkUpdateStatus(
    @Arg('input', () => CustomerBulkStatusInput) input: CustomerBulkStatusInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerBulkPayload> {
    return bulk(input.ids, (id) =>
      ctx.services.customers.changeStatus(actorOf(ctx), id, { status: input.status, reason: input.reason }),
    );
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => CustomerBulkPayload, { description: 'Adds and removes tags on many customers; reports each one.' })
  customerBulkUpdateTags(
    @Arg('input', () => CustomerBulkTagsInput) input: CustomerBulkTagsInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerBulkPayload> {
    return bulk(input.ids, (id) => ctx.services.customers.retag(actorOf(ctx), id, input.add ?? [], input.remove ?? []));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => CustomerBulkPayload, {
    description: 'Assigns many customers to one owner (MANAGER/ADMIN); reports each one.',
  })
  customerBulkAssignOwner(
    @Arg('input', () => CustomerBulkOwnerInput) input: CustomerBulkOwnerInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerBulkPayload> {
    let ownerId: string | null;
    try {
      ownerId = input.ownerId == null ? null : decodeId(input.ownerId, 'StaffUser', ['input', 'ownerId']);
    } catch (error) {
      return Promise.resolve({ userErrors: userErrorsOf(error) });
    }
    return bulk(input.ids, (id) => ctx.services.customers.assignOwner(actorOf(ctx), id, ownerId));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => CustomerBulkPayload, { description: 'Erases many customers (MANAGER/ADMIN); reports each one.' })
  customerBulkDelete(
    @Arg('input', () => CustomerBulkInput) input: CustomerBulkInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerBulkPayload> {
    return bulk(input.ids, async (id) => {
      await ctx.services.customers.delete(actorOf(ctx), id);
      return null;
    });
  }
}

/** Runs `apply` for each customer in turn, each in its own transaction, collecting per-item results. */
async function bulk(ids: string[], apply: (id: string) => Promise<unknown>): Promise<CustomerBulkPayload> {
  return payload(async () => {
    if (ids.length === 0 || ids.length > MAX_BULK_ITEMS) {
      throw new DomainError('LIMIT_EXCEEDED', `Send between 1 and ${MAX_BULK_ITEMS} ids`, ['input', 'ids']);
    }
    const results: CustomerBulkResult[] = [];
    for (const [index, id] of ids.entries()) {
      try {
        const customer = await apply(decodeId(id, 'Customer', ['input', 'ids', String(index)]));
        results.push({ id, success: true, customer, userErrors: [] });
      } catch (error) {
        // A service's ['id'] is this item's ['input', 'ids', index] here.
        const userErrors = userErrorsOf(error).map((e) =>
          e.field?.length === 1 && e.field[0] === 'id' ? { ...e, field: ['input', 'ids', String(index)] } : e,
        );
        results.push({ id, success: false, customer: null, userErrors });
      }
    }
    const succeeded = results.filter((r) => r.success).length;
    return { results, succeeded, failed: results.length - succeeded };
  });
}
