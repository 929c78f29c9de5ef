import { Field, InputType } from 'type-graphql';

@InputType({
  description:
    'Changes consent flags. Withdrawing dataProcessing restricts the customer and withdraws marketing too (docs/privacy.md).',
})
export class CustomerConsentChangeInput {
  @Field(() => Boolean, { nullable: true, description: 'Consent to data processing; omit to leave it as it is.' })
  dataProcessing?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Consent to marketing; needs data processing.' })
  marketing?: boolean | null;
  @Field(() => String, { description: 'Where the customer expressed it, e.g. "phone call" (1–100 characters).' })
  source!: string;
  @Field(() => String, { description: 'Why the change is made (1–500 characters).' })
  reason!: string;
}

@InputType({ description: 'Anonymisation of a customer.' })
export class CustomerAnonymiseInput {
  @Field(() => String, { description: 'Why, e.g. "erasure request of 2026-11-02, contracts kept" (1–500 characters).' })
  reason!: string;
}
