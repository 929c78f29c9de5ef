import { Field, ID, InputType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars';

@InputType({ description: 'Which audit entries to list; every condition given must hold.' })
export class AuditEntryFilter {
  @Field(() => String, { nullable: true, description: 'Entity type, e.g. "Customer", "Policy".' })
  entityType?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'The entity: a global ID (its type is then implied) or the stored key of a non-Node entity.',
  })
  entityId?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'Entries about this customer: the customer itself and what it owns (addresses, orders, policies…).',
  })
  customerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of the staff member who acted.' })
  actorId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Exact action, or a prefix ending in "*" (e.g. "customer.status.*").',
  })
  action?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'At or after this instant.' }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Before this instant.' }) to?: Date | null;
}
