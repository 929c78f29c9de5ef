import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { JobRun as JobRunRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../../graphql/context';
import { payload } from '../../graphql/payload';
import { ConnectionArgs, connectionOf, toConnection } from '../../graphql/relay';
import { JobRunFilter, JobRunNowPayload } from './job.input';
import { Job, JobRun } from './job.type';

const JOB_ADMINS = ['ADMIN' as const];
export const JobRunConnection = connectionOf(JobRun, 'JobRun');

@Resolver(() => JobRun)
export class JobRunResolver {
  @FieldResolver(() => ID)
  id(@Root() run: JobRunRow): string {
    return String(run.id);
  }

  @FieldResolver(() => Boolean)
  manual(@Root() run: JobRunRow): boolean {
    return run.requestedBy !== null;
  }
}

@Resolver(() => Job)
export class JobResolver {
  @Authorized(JOB_ADMINS)
  @Query(() => [Job], { description: 'The scheduled jobs, their schedule and last run (ADMIN only).' })
  jobs(@Ctx() ctx: Context) {
    return ctx.services.jobs.list();
  }

  @Authorized(JOB_ADMINS)
  @Query(() => JobRunConnection, { description: 'Runs of the scheduled jobs, newest first (ADMIN only).' })
  async jobRuns(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => JobRunFilter, { nullable: true }) filter: JobRunFilter | null,
    @Ctx() ctx: Context,
  ) {
    return toConnection(await ctx.services.jobs.runs(filter, page));
  }

  @Authorized(JOB_ADMINS)
  @Mutation(() => JobRunNowPayload, {
    description:
      'Runs a job now on the answering instance, whatever its schedule, and returns the finished run (ADMIN only; audited). INVALID_TRANSITION while the job is running anywhere.',
  })
  jobRunNow(@Arg('name', () => String) name: string, @Ctx() ctx: Context): Promise<JobRunNowPayload> {
    return payload(async () => ({ run: await ctx.services.jobs.runNow(actorOf(ctx), name) }));
  }
}
