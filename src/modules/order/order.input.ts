import { Field, InputType } from 'type-graphql';
import { OrderStatus } from '../../generated/prisma/enums';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { CurrencyScalar, DateTimeScalar, DecimalScalar } from '../../graphql/scalars';

@InputType({ description: 'An order to record for a customer.' })
export class OrderRecordInput {
  @Field(() => String, { description: 'Unique order number, 1–40 letters, digits and . _ / # -.' }) number!: string;
  @Field(() => DecimalScalar, { description: 'Total, 0 to 10,000,000 with at most 2 decimals, e.g. "129.90".' })
  total!: Decimal;
  @Field(() => CurrencyScalar) currency!: string;
  @Field(() => DateTimeScalar, { description: 'When the order was placed; not in the future.' }) placedAt!: Date;
  @Field(() => OrderStatus, {
    nullable: true,
    description: 'Default PENDING. A COMPLETED order earns its points and counts as spend at once.',
  })
  status?: OrderStatus | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Only for DELIVERED, COMPLETED or REFUNDED orders; a DELIVERED order without it is delivered now.',
  })
  deliveredAt?: Date | null;
}

@InputType({ description: 'A status change of an order.' })
export class OrderStatusChangeInput {
  @Field(() => OrderStatus, { description: 'The new status; setting the current status again changes nothing.' })
  status!: OrderStatus;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Only when the order becomes DELIVERED (default: now).' })
  deliveredAt?: Date | null;
}
