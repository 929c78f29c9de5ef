import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ContactChannel, CustomerStatus, CustomerType, Gender } from '../../generated/prisma/enums';
import { Node } from '../../graphql/relay';
import { CurrencyScalar, DateTimeScalar, DecimalScalar, LocalDateScalar } from '../../graphql/scalars';

registerEnumType(Gender, {
  name: 'Gender',
  description: 'Gender as the customer stated it; UNDISCLOSED when not given.',
});
registerEnumType(CustomerType, { name: 'CustomerType', description: 'A person or a company.' });
registerEnumType(CustomerStatus, {
  name: 'CustomerStatus',
  description:
    'ACTIVE ⇄ INACTIVE; any → SUSPENDED and SUSPENDED → ACTIVE by MANAGER/ADMIN; DELETED only through privacy operations.',
});
registerEnumType(ContactChannel, { name: 'ContactChannel', description: 'How the customer prefers to be contacted.' });

@ObjectType({ description: "A customer's communication and product preferences." })
export class CustomerPreferences {
  @Field(() => String, { description: 'BCP 47 language tag, e.g. "en" or "ko-KR".' }) language!: string;
  @Field(() => CurrencyScalar, { description: 'ISO 4217 currency used for totals shown to this customer.' })
  currency!: string;
  @Field(() => String, { description: 'IANA time zone, e.g. "Europe/Berlin".' }) timezone!: string;
  @Field(() => ContactChannel) preferredChannel!: ContactChannel;
  @Field(() => Boolean) paperless!: boolean;
  @Field(() => Boolean) autoRenewal!: boolean;
}

@ObjectType({ description: 'Consents the customer gave, with the time each was given.' })
export class CustomerConsent {
  @Field(() => Boolean, { description: 'Consent to process personal data (required to be a customer).' })
  dataProcessing!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) dataProcessingGivenAt!: Date | null;
  @Field(() => Boolean) marketing!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) marketingGivenAt!: Date | null;
}

/**
 * Fields resolved from the row as they are are declared here; computed and masked ones
 * (id, customerNumber, email, phone, birthDate, owner, addresses…) live in customer.fields.ts
 * and in the modules that own the related data.
 */
@ObjectType({ implements: Node, description: 'A customer of the company, owned by an agent.' })
export class Customer extends Node {
  @Field(() => String, { description: 'Human-readable unique number, e.g. "C-000123".' }) customerNumber!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String, { description: 'Normalised to lower case; masked (j***@example.com) for analysts.' })
  email!: string;
  @Field(() => String, { nullable: true, description: 'E.164, e.g. +14155550123; masked (+1******0123) for analysts.' })
  phone!: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Null for analysts.' }) birthDate!: string | null;
  @Field(() => Int, { nullable: true, description: 'Age in whole years today (UTC).' }) age!: number | null;
  @Field(() => Gender) gender!: Gender;
  @Field(() => String, { nullable: true }) occupation!: string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Yearly income in the preferred currency; used by coverage analysis.',
  })
  annualIncome!: unknown;
  @Field(() => Int, { nullable: true }) dependants!: number | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Debts besides the mortgage (preferred currency); DIME input of coverage analysis. Null for analysts.',
  })
  debts!: unknown;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Mortgage balance owed (preferred currency); DIME input of coverage analysis. Null for analysts.',
  })
  mortgageBalance!: unknown;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Future education costs (preferred currency); DIME input of coverage analysis. Null for analysts.',
  })
  educationCosts!: unknown;
  @Field(() => CustomerType) type!: CustomerType;
  @Field(() => CustomerStatus) status!: CustomerStatus;
  @Field(() => [String]) tags!: string[];
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => CustomerPreferences) preferences!: CustomerPreferences;
  @Field(() => CustomerConsent) consent!: CustomerConsent;
  @Field(() => DateTimeScalar, { nullable: true }) lastContactAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Last order, event or contact.' })
  lastActivityAt!: Date | null;
  @Field(() => DecimalScalar, { description: 'Sum of completed orders.' }) totalSpent!: unknown;
  @Field(() => Int) orderCount!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
  @Field(() => Int, {
    description: 'Increases with every change; send it back with customerUpdate (optimistic concurrency).',
  })
  version!: number;
}
