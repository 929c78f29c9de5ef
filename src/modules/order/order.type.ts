import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { OrderStatus } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { CurrencyScalar, DateTimeScalar, DecimalScalar } from '../../graphql/scalars';

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description:
    'PENDING → PAID → SHIPPED → DELIVERED → COMPLETED; PAID → COMPLETED for counter sales; CANCELLED from PENDING or PAID; REFUNDED from DELIVERED or COMPLETED. CANCELLED and REFUNDED are final.',
});

/**
 * Fields read from the row as they are; id, customer, feedback and the computed fields live in
 * order.resolver.ts.
 */
@ObjectType({
  implements: Node,
  description:
    "A customer's order. Completing it earns loyalty points once and adds its total to the customer's spend.",
})
export class Order extends Node {
  @Field(() => String, { description: 'The order number of the shop or till, unique.' }) number!: string;
  @Field(() => DecimalScalar, { description: 'Order total (0 to 10,000,000, 2 decimals).' }) total!: unknown;
  @Field(() => CurrencyScalar, { description: 'ISO 4217 currency of the total.' }) currency!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => DateTimeScalar) placedAt!: Date;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the goods arrived; null for orders not (yet) delivered and counter sales.',
  })
  deliveredAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) completedAt!: Date | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "When the completion was counted: points earned and total added to the customer's spend. Set once, however often the order is completed.",
  })
  pointsAwardedAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}
