import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LoyaltyTier } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { DateTimeScalar } from '../../graphql/scalars';

registerEnumType(LoyaltyTier, { name: 'LoyaltyTier', description: 'BRONZE 0, SILVER 500, GOLD 1,000, PLATINUM 5,000 qualifying points.' });

@ObjectType({ implements: Node, description: "A customer's loyalty programme account." })
export class LoyaltyAccount extends Node {
  @Field(() => LoyaltyTier) tier!: LoyaltyTier;
  @Field(() => Int, { description: 'Spendable points; always the sum of the ledger, never negative.' }) pointsBalance!: number;
  @Field(() => Int, { description: 'All points ever earned.' }) lifetimePoints!: number;
  @Field(() => DateTimeScalar) joinedAt!: Date;
}
