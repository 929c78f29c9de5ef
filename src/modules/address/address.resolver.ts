import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { WRITER_ROLES } from '../../auth/actor';
import type { Address as AddressRow, Customer as CustomerRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { decodeId, toGlobalId } from '../../graphql/relay';
import { Customer } from '../customer/customer.type';
import { AddressInput, AddressUpdateInput } from './address.input';
import { Address } from './address.type';

@ObjectType({ description: 'Result of a mutation on one address.' })
class AddressPayload extends Payload {
  @Field(() => Address, { nullable: true }) address?: unknown;
}

@ObjectType({ description: 'Result of addressDelete.' })
class AddressDeletePayload extends Payload {
  @Field(() => ID, { nullable: true }) deletedAddressId?: string;
  @Field(() => Address, {
    nullable: true,
    description: 'The address that became the default because the deleted one was.',
  })
  promotedDefault?: unknown;
}

@Resolver(() => Address)
export class AddressResolver {
  @FieldResolver(() => ID)
  id(@Root() a: AddressRow): string {
    return toGlobalId('Address', a.id);
  }

  @FieldResolver(() => Customer, { description: 'The customer living here.' })
  customer(@Root() a: AddressRow, @Ctx() ctx: Context) {
    return ctx.loaders.customerById.load(a.customerId);
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => AddressPayload, { description: "Adds an address; the customer's first address becomes the default." })
  addressCreate(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => AddressInput) input: AddressInput,
    @Ctx() ctx: Context,
  ): Promise<AddressPayload> {
    return payload(async () => ({
      address: await ctx.services.addresses.create(
        actorOf(ctx),
        decodeId(customerId, 'Customer', ['customerId']),
        input,
      ),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => AddressPayload, { description: 'Changes an address.' })
  addressUpdate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => AddressUpdateInput) input: AddressUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<AddressPayload> {
    return payload(async () => ({
      address: await ctx.services.addresses.update(actorOf(ctx), decodeId(id, 'Address', ['id']), input),
    }));
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => AddressDeletePayload, {
    description: 'Removes an address; if it was the default, the oldest remaining address becomes the default.',
  })
  addressDelete(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<AddressDeletePayload> {
    return payload(async () => {
      const promotedDefault = await ctx.services.addresses.delete(actorOf(ctx), decodeId(id, 'Address', ['id']));
      return { deletedAddressId: id, promotedDefault };
    });
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => AddressPayload, {
    description: 'Makes this the default address, unsetting the previous default in the same transaction.',
  })
  addressSetDefault(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<AddressPayload> {
    return payload(async () => ({
      address: await ctx.services.addresses.setDefault(actorOf(ctx), decodeId(id, 'Address', ['id'])),
    }));
  }
}

/** Customer.addresses and Customer.defaultAddress, batched per request. */
@Resolver(() => Customer)
export class CustomerAddressesResolver {
  @FieldResolver(() => [Address], { description: 'All addresses, the default first.' })
  addresses(@Root() c: CustomerRow, @Ctx() ctx: Context) {
    return ctx.loaders.addressesByCustomerId.load(c.id);
  }

  @FieldResolver(() => Address, { nullable: true })
  async defaultAddress(@Root() c: CustomerRow, @Ctx() ctx: Context) {
    const addresses = await ctx.loaders.addressesByCustomerId.load(c.id);
    return addresses.find((a) => a.isDefault) ?? null;
  }
}
