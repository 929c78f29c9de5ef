import { Field, InputType, ObjectType } from 'type-graphql';
import { JobRunStatus } from '../../generated/prisma/enums';
import { Payload } from '../../graphql/payload';
import { JobRun } from './job.type';

@InputType({ description: 'Narrows jobRuns; every field set must hold.' })
export class JobRunFilter {
  @Field(() => String, { nullable: true, description: 'Runs of this job (its name).' })
  job?: string | null;
  @Field(() => JobRunStatus, { nullable: true, description: 'Runs in this status.' })
  status?: JobRunStatus | null;
}

@ObjectType({ description: 'Result of jobRunNow.' })
export class JobRunNowPayload extends Payload {
  @Field(() => JobRun, { nullable: true, description: 'The run, finished (SUCCEEDED or FAILED).' })
  run!: unknown;
}
