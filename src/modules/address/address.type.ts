import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/relay';
import { CountryCodeScalar, DateTimeScalar, LatitudeScalar, LongitudeScalar } from '../../graphql/scalars';

@ObjectType({
  implements: Node,
  description: "One of a customer's postal addresses. Street lines are null for analysts.",
})
export class Address extends Node {
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => String, { nullable: true, description: 'Null for analysts (masked).' }) line1!: string | null;
  @Field(() => String, { nullable: true, description: 'Null for analysts (masked).' }) line2!: string | null;
  @Field(() => String) city!: string;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => CountryCodeScalar) country!: string;
  @Field(() => LatitudeScalar, { nullable: true }) latitude!: number | null;
  @Field(() => LongitudeScalar, { nullable: true }) longitude!: number | null;
  @Field(() => Boolean, { description: 'Exactly one address of a customer is the default.' }) isDefault!: boolean;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}
