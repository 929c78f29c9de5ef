import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { JobRunStatus } from '../../generated/prisma/enums';
import { DateTimeScalar } from '../../graphql/scalars';

registerEnumType(JobRunStatus, {
  name: 'JobRunStatus',
  description:
    'RUNNING: in progress; SUCCEEDED / FAILED: finished (FAILED has the error); ABANDONED: its instance stopped or crashed before it finished (the job ran again).',
});

@ObjectType({ description: 'One run of a scheduled job, by the scheduler or started by hand.' })
export class JobRun {
  @Field(() => ID, { description: 'Number of the run (increasing).' }) id!: string;
  @Field(() => String, { description: 'Name of the job.' }) job!: string;
  @Field(() => String, { description: 'The instance that ran it.' }) instance!: string;
  @Field(() => JobRunStatus) status!: JobRunStatus;
  @Field(() => DateTimeScalar) startedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Null while RUNNING.' }) finishedAt!: Date | null;
  @Field(() => Int, { description: 'Items the run handled (what counts is in the job description).' })
  items!: number;
  @Field(() => Int, { description: 'Items that failed without failing the run.' }) errors!: number;
  @Field(() => String, { nullable: true, description: 'Why the run FAILED or was ABANDONED.' }) error!: string | null;
  @Field(() => Boolean, { description: 'True when a staff member started it (jobRunNow), false for the scheduler.' })
  manual!: boolean;
}

@ObjectType({ description: 'A scheduled job: what it does, how often, and its last run.' })
export class Job {
  @Field(() => String, { description: 'Unique name (snake_case); its interval is JOB_<NAME>_INTERVAL_MS.' })
  name!: string;
  @Field(() => String) description!: string;
  @Field(() => Int, { description: 'Milliseconds between runs on the answering instance (0: not scheduled there).' })
  intervalMs!: number;
  @Field(() => Boolean, {
    description: 'Whether the answering instance schedules this job (JOBS_ENABLED and an interval above 0).',
  })
  enabled!: boolean;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the job is next due (across all instances); null until an instance has registered it.',
  })
  nextRunAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The instance running it now (holding its lease), if any.' })
  runningOn!: string | null;
  @Field(() => JobRun, { nullable: true, description: 'The latest run, finished or not.' })
  lastRun!: unknown;
}
