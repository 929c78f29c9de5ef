import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { ContactChannel, CustomerStatus, CustomerType, Gender, LoyaltyTier } from '../../generated/prisma/enums';
import {
  CountryCodeScalar,
  CurrencyScalar,
  DateTimeScalar,
  DecimalScalar,
  EmailAddressScalar,
  LocalDateScalar,
  NonNegativeIntScalar,
  PhoneNumberScalar,
} from '../../graphql/scalars';
import type { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { AddressInput } from '../address/address.input';

@InputType({ description: 'Preferences; omitted fields keep their current (or default) value.' })
export class CustomerPreferencesInput {
  @Field(() => String, { nullable: true }) language?: string | null;
  @Field(() => CurrencyScalar, { nullable: true }) currency?: string | null;
  @Field(() => String, { nullable: true }) timezone?: string | null;
  @Field(() => ContactChannel, { nullable: true }) preferredChannel?: ContactChannel | null;
  @Field(() => Boolean, { nullable: true }) paperless?: boolean | null;
  @Field(() => Boolean, { nullable: true }) autoRenewal?: boolean | null;
}

@InputType({ description: 'Consents given when the customer is created.' })
export class CustomerConsentInput {
  @Field(() => Boolean, { description: 'Must be true: no customer without consent to process their data.' })
  dataProcessing!: boolean;
  @Field(() => Boolean, { nullable: true }) marketing?: boolean | null;
}

@InputType({ description: 'A new customer, optionally with addresses.' })
export class CustomerCreateInput {
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => EmailAddressScalar) email!: string;
  @Field(() => PhoneNumberScalar, { nullable: true }) phone?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) birthDate?: string | null;
  @Field(() => Gender, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true }) occupation?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) annualIncome?: Decimal | null;
  @Field(() => NonNegativeIntScalar, { nullable: true }) dependants?: number | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Outstanding debts besides the mortgage (preferred currency); the D of the DIME life-cover estimate.',
  })
  debts?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Mortgage balance still owed (preferred currency); the M of the DIME life-cover estimate.',
  })
  mortgageBalance?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Future education costs of the customer's dependants (preferred currency); the E of the DIME estimate.",
  })
  educationCosts?: Decimal | null;
  @Field(() => CustomerType, { nullable: true }) type?: CustomerType | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => CustomerPreferencesInput, { nullable: true }) preferences?: CustomerPreferencesInput | null;
  @Field(() => CustomerConsentInput) consent!: CustomerConsentInput;
  @Field(() => [AddressInput], { nullable: true }) addresses?: AddressInput[] | null;
  @Field(() => String, {
    nullable: true,
    description: 'Global ID of the owning staff member; agents always own what they create.',
  })
  ownerId?: string | null;
}

@InputType({ description: 'Changes to a customer. Omitted fields stay as they are; null clears an optional field.' })
export class CustomerUpdateInput {
  @Field(() => Int, { description: 'The version last read; a stale one is a VERSION_CONFLICT.' }) version!: number;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => EmailAddressScalar, { nullable: true }) email?: string | null;
  @Field(() => PhoneNumberScalar, { nullable: true }) phone?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) birthDate?: string | null;
  @Field(() => Gender, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true }) occupation?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) annualIncome?: Decimal | null;
  @Field(() => NonNegativeIntScalar, { nullable: true }) dependants?: number | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Outstanding debts besides the mortgage (preferred currency); the D of the DIME life-cover estimate.',
  })
  debts?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Mortgage balance still owed (preferred currency); the M of the DIME life-cover estimate.',
  })
  mortgageBalance?: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Future education costs of the customer's dependants (preferred currency); the E of the DIME estimate.",
  })
  educationCosts?: Decimal | null;
  @Field(() => CustomerType, { nullable: true }) type?: CustomerType | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => CustomerPreferencesInput, { nullable: true }) preferences?: CustomerPreferencesInput | null;
  @Field(() => Boolean, { nullable: true, description: 'Marketing consent; the time it was given is recorded.' })
  marketingConsent?: boolean | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastContactAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'Global ID of the new owner (MANAGER/ADMIN only).' }) ownerId?:
    | string
    | null;
}

@InputType({ description: 'A status change, e.g. ACTIVE → SUSPENDED.' })
export class CustomerStatusChangeInput {
  @Field(() => CustomerStatus) status!: CustomerStatus;
  @Field(() => String, { nullable: true, description: 'Why; kept in the audit trail.' }) reason?: string | null;
  @Field(() => Int, { nullable: true, description: 'When given, must match the current version.' }) version?:
    | number
    | null;
}

export enum CustomerSortField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
  EMAIL = 'EMAIL',
  LAST_ACTIVITY = 'LAST_ACTIVITY',
  TOTAL_SPENT = 'TOTAL_SPENT',
}
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(CustomerSortField, { name: 'CustomerSortField', description: 'NAME sorts by last then first name.' });
registerEnumType(SortDirection, { name: 'SortDirection', description: 'Ascending (ASC) or descending (DESC) order.' });

@InputType({ description: 'Order of a customer list; ties are broken by id so pages are stable.' })
export class CustomerSort {
  @Field(() => CustomerSortField) field!: CustomerSortField;
  @Field(() => SortDirection, { nullable: true, description: 'Default ASC.' }) direction?: SortDirection | null;
}

@InputType({ description: 'Filters of the customer list; all given conditions must hold.' })
export class CustomerFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Free text over name, e-mail, phone and customer number; every word must match.',
  })
  search?: string | null;
  @Field(() => [CustomerStatus], { nullable: true }) status?: CustomerStatus[] | null;
  @Field(() => [CustomerType], { nullable: true }) type?: CustomerType[] | null;
  @Field(() => [String], { nullable: true, description: 'Customers carrying all of these tags.' }) tags?:
    | string[]
    | null;
  @Field(() => [Gender], { nullable: true }) gender?: Gender[] | null;
  @Field(() => NonNegativeIntScalar, { nullable: true }) ageMin?: number | null;
  @Field(() => NonNegativeIntScalar, { nullable: true }) ageMax?: number | null;
  @Field(() => String, { nullable: true, description: 'Global ID of the owning staff member.' }) ownerId?:
    | string
    | null;
  @Field(() => [LoyaltyTier], { nullable: true }) tier?: LoyaltyTier[] | null;
  @Field(() => String, { nullable: true, description: 'Global ID of a segment the customer belongs to.' }) segmentId?:
    | string
    | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) createdTo?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastActivityFrom?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastActivityTo?: Date | null;
  @Field(() => DecimalScalar, { nullable: true }) totalSpentMin?: Decimal | null;
  @Field(() => DecimalScalar, { nullable: true }) totalSpentMax?: Decimal | null;
  @Field(() => String, { nullable: true, description: 'City of any of the addresses (case-insensitive).' }) city?:
    | string
    | null;
  @Field(() => CountryCodeScalar, { nullable: true, description: 'Country of any of the addresses.' }) country?:
    | string
    | null;
}
