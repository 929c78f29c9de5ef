import { Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { Customer as CustomerRow } from '../../generated/prisma/client';
import type { Context } from '../../graphql/context';
import { toGlobalId } from '../../graphql/relay';
import { ageOn, toLocalDate } from '../../shared/dates';
import { StaffUser } from '../staff/staff.type';
import { Customer, CustomerConsent, CustomerPreferences } from './customer.type';

export const formatCustomerNumber = (n: number) => `C-${String(n).padStart(6, '0')}`;
/** formatCustomerNumber in SQL (answers built by PostgreSQL): lpad would cut a longer number. */
export const customerNumberSql = (number: string) =>
  `'C-' || lpad(${number}::text, greatest(6, length(${number}::text)), '0')`;

/** Computed and masked fields of Customer. */
@Resolver(() => Customer)
export class CustomerFieldsResolver {
  @FieldResolver(() => ID)
  id(@Root() c: CustomerRow): string {
    return toGlobalId('Customer', c.id);
  }

  @FieldResolver(() => String)
  customerNumber(@Root() c: CustomerRow): string {
    return formatCustomerNumber(c.number);
  }

  // Masked for some roles by the personal-data policy (src/auth/masking.ts), not here.
  @FieldResolver(() => String, { nullable: true })
  birthDate(@Root() c: CustomerRow): string | null {
    return toLocalDate(c.birthDate);
  }

  @FieldResolver(() => Int, { nullable: true })
  age(@Root() c: CustomerRow): number | null {
    return c.birthDate ? ageOn(c.birthDate) : null;
  }

  @FieldResolver(() => CustomerPreferences)
  preferences(@Root() c: CustomerRow): CustomerPreferences {
    return {
      language: c.prefLanguage,
      currency: c.prefCurrency,
      timezone: c.prefTimezone,
      preferredChannel: c.prefChannel,
      paperless: c.paperless,
      autoRenewal: c.autoRenewal,
    };
  }

  @FieldResolver(() => CustomerConsent)
  consent(@Root() c: CustomerRow): CustomerConsent {
    return {
      dataProcessing: c.dataProcessingConsentAt !== null,
      dataProcessingGivenAt: c.dataProcessingConsentAt,
      marketing: c.marketingConsent,
      marketingGivenAt: c.marketingConsentAt,
    };
  }

  @FieldResolver(() => StaffUser, { nullable: true, description: 'The staff member who owns (advises) this customer.' })
  owner(@Root() c: CustomerRow, @Ctx() ctx: Context) {
    return c.ownerId ? ctx.loaders.staffById.load(c.ownerId) : null;
  }
}
