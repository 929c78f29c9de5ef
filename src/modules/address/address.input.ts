import { Field, InputType } from 'type-graphql';
import { CountryCodeScalar, LatitudeScalar, LongitudeScalar } from '../../graphql/scalars';

@InputType({ description: 'A postal address.' })
export class AddressInput {
  @Field(() => String, { nullable: true, description: 'e.g. "Home", "Office".' }) label?: string | null;
  @Field(() => String) line1!: string;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field(() => String) city!: string;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => CountryCodeScalar, { description: 'ISO 3166-1 alpha-2, e.g. "DE".' }) country!: string;
  @Field(() => LatitudeScalar, { nullable: true }) latitude?: number | null;
  @Field(() => LongitudeScalar, { nullable: true }) longitude?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "Make this the customer's default address. The first address always is.",
  })
  isDefault?: boolean | null;
}

@InputType({ description: 'Changes to an address; omitted fields stay as they are, null clears an optional one.' })
export class AddressUpdateInput {
  @Field(() => String, { nullable: true }) label?: string | null;
  @Field(() => String, { nullable: true }) line1?: string | null;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => CountryCodeScalar, { nullable: true }) country?: string | null;
  @Field(() => LatitudeScalar, { nullable: true }) latitude?: number | null;
  @Field(() => LongitudeScalar, { nullable: true }) longitude?: number | null;
}
