import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { SUPERVISOR_ROLES, WRITER_ROLES } from '../../auth/actor';
import type { Customer as CustomerRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload, Payload } from '../../graphql/payload';
import { ConnectionArgs, decodeId, fromGlobalId, toConnection } from '../../graphql/relay';
import { JSONScalar } from '../../graphql/scalars';
import { pageSize } from '../../shared/pagination';
import { Customer } from '../customer/customer.type';
import { StaffUser } from '../staff/staff.type';
import { CustomerAnonymiseInput, CustomerConsentChangeInput } from './privacy.input';
import { parseConsentCursor } from './privacy.loaders';
import { ConsentChange, ConsentChangeConnection, type ConsentChangeRow } from './privacy.type';

@ObjectType({ description: 'Result of a privacy operation on one customer.' })
class CustomerPrivacyPayload extends Payload {
  @Field(() => Customer, { nullable: true }) customer?: unknown;
}

@Resolver()
export class PrivacyResolver {
  @Authorized(WRITER_ROLES)
  @Query(() => JSONScalar, {
    nullable: true,
    description:
      'Everything held about one customer as one JSON document (format "customer-data-export", version 1; docs/privacy.md). Null when unknown or not visible to you. Audited. For long histories download GET /privacy/customers/<id>/export instead (streamed).',
  })
  customerDataExport(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const decoded = fromGlobalId(id, 'Customer');
    return decoded ? ctx.services.privacy.exportDocument(actorOf(ctx), decoded.id) : null;
  }

  @Authorized(WRITER_ROLES)
  @Mutation(() => CustomerPrivacyPayload, {
    description:
      'Changes consent to data processing and/or marketing, with source and reason; every change goes to the consent history. Withdrawing data processing restricts the customer (docs/privacy.md).',
  })
  customerConsentChange(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CustomerConsentChangeInput) input: CustomerConsentChangeInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerPrivacyPayload> {
    return payload(async () => ({
      customer: await ctx.services.privacy.changeConsent(actorOf(ctx), decodeId(id, 'Customer', ['id']), input),
    }));
  }

  @Authorized(SUPERVISOR_ROLES)
  @Mutation(() => CustomerPrivacyPayload, {
    description:
      'Irreversibly replaces the personal data of a customer with non-identifying values and sets DELETED; orders, points, policies and their figures stay for reporting (MANAGER/ADMIN).',
  })
  customerAnonymise(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CustomerAnonymiseInput) input: CustomerAnonymiseInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerPrivacyPayload> {
    return payload(async () => ({
      customer: await ctx.services.privacy.anonymise(actorOf(ctx), decodeId(id, 'Customer', ['id']), input),
    }));
  }
}

/** Customer.consentHistory, batched per request for all customers of a list. */
@Resolver(() => Customer)
export class CustomerConsentHistoryResolver {
  @FieldResolver(() => ConsentChangeConnection, {
    description: 'Every change of the consent flags, newest first (who, when, from, to, source, reason).',
  })
  async consentHistory(@Root() c: CustomerRow, @Args(() => ConnectionArgs) page: ConnectionArgs, @Ctx() ctx: Context) {
    const first = pageSize(page);
    const after = page.after ? parseConsentCursor(page.after) : null;
    return toConnection(await ctx.loaders.consentHistoryPageByCustomer.load({ customerId: c.id, first, after }));
  }
}

@Resolver(() => ConsentChange)
export class ConsentChangeResolver {
  @FieldResolver(() => Boolean)
  from(@Root() row: ConsentChangeRow): boolean {
    return !row.granted;
  }

  @FieldResolver(() => Boolean)
  to(@Root() row: ConsentChangeRow): boolean {
    return row.granted;
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  changedBy(@Root() row: ConsentChangeRow, @Ctx() ctx: Context) {
    return row.actorId ? ctx.loaders.staffById.load(row.actorId) : null;
  }
}
