import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Customer as CustomerRow, LoyaltyAccount as AccountRow } from '../../generated/prisma/client';
import type { Context } from '../../graphql/context';
import { toGlobalId } from '../../graphql/relay';
import { Customer } from '../customer/customer.type';
import { LoyaltyAccount } from './loyalty.type';

@Resolver(() => LoyaltyAccount)
export class LoyaltyAccountResolver {
  @FieldResolver(() => ID)
  id(@Root() account: AccountRow): string {
    return toGlobalId('LoyaltyAccount', account.id);
  }
}

@Resolver(() => Customer)
export class CustomerLoyaltyResolver {
  @FieldResolver(() => LoyaltyAccount, { nullable: true, description: 'The loyalty account opened with the customer.' })
  loyalty(@Root() c: CustomerRow, @Ctx() ctx: Context) {
    return ctx.loaders.loyaltyByCustomerId.load(c.id);
  }
}
