import { Field, ID, ObjectType } from 'type-graphql';
import { connectionOf } from '../../graphql/relay';
import { DateTimeScalar } from '../../graphql/scalars';

/** An audit_log row as the service and loaders return it (the sequence number as text). */
export interface AuditEntryRow {
  id: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  customerId: string | null;
  changedFields: string[];
  reason: string | null;
  at: Date;
}

@ObjectType({
  description:
    'One entry of the audit trail: who did what to which entity, when, and which fields changed. Entries outlive what they speak of.',
})
export class AuditEntry {
  @Field(() => ID, { description: 'Sequence number of the entry (entries are listed newest first by it).' })
  id!: string;
  @Field(() => DateTimeScalar, { description: 'When the change was made (its transaction).' }) at!: Date;
  @Field(() => String, {
    description: 'What happened, e.g. "customer.update", "customer.status.ACTIVE->INACTIVE", "customer.erase".',
  })
  action!: string;
  @Field(() => String, { description: 'Type of the entity changed, e.g. "Customer", "Policy", "StaffUser".' })
  entityType!: string;
  @Field(() => ID, {
    nullable: true,
    description:
      'The entity: a global ID for Node types, the stored key otherwise; null when not recorded or erased with its customer.',
  })
  entityId!: string | null;
  @Field(() => String, { nullable: true, description: 'Role of the actor at the time (null: the system).' })
  actorRole!: string | null;
  @Field(() => [String], { description: 'Names of the fields the change set.' }) changedFields!: string[];
  @Field(() => String, { nullable: true, description: 'The reason given, when the operation asks for one.' })
  reason!: string | null;
}

export const AuditEntryConnection = connectionOf(AuditEntry, 'AuditEntry');
