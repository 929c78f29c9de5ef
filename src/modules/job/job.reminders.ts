import type { PrismaClient } from '../../db/client';
import type { ContactChannel, PolicyType } from '../../generated/prisma/enums';
import { toLocalDate } from '../../shared/dates';
import { enqueueNotification } from '../notification/outbox';
import type { JobResult } from './job.registry';

/** A policy's holder is reminded this many days before its end date. */
export const RENEWAL_REMINDER_DAYS = 30;
const BATCH_SIZE = 200;

interface Reminded {
  policy_id: string;
  customer_id: string;
  number: string;
  type: PolicyType;
  term_end: string;
  channel: ContactChannel | null;
}

/**
 * Queues a RENEWAL_REMINDER for every ACTIVE policy whose end date is within RENEWAL_REMINDER_DAYS
 * of `now` (UTC day) and whose holder is not DELETED. Once per term: the row in
 * policy_renewal_reminders (primary key policy + term end) and the notification are written in one
 * transaction, and a reminder another run (or instance) already wrote is skipped by ON CONFLICT.
 * A renewal moves the end date, so the next term gets its own reminder.
 */
export async function sendRenewalReminders(prisma: PrismaClient, now: Date): Promise<JobResult> {
  const today = toLocalDate(now)!;
  let after = '00000000-0000-0000-0000-000000000000';
  let items = 0;
  for (;;) {
    const candidates = await prisma.$queryRaw<{ id: string }[]>`
      SELECT p.id FROM policies p
      WHERE p.status = 'ACTIVE' AND p.end_date >= ${today}::date
        AND p.end_date <= ${today}::date + ${RENEWAL_REMINDER_DAYS}::int AND p.id > ${after}::uuid
        AND NOT EXISTS (SELECT 1 FROM policy_renewal_reminders r WHERE r.policy_id = p.id AND r.term_end = p.end_date)
      ORDER BY p.id LIMIT ${BATCH_SIZE}`;
    if (candidates.length === 0) break;
    const ids = candidates.map((c) => c.id);
    items += await prisma.$transaction(async (tx) => {
      // The conditions again, on the rows as they are now (a renewal or cancellation may have come in between).
      const reminded = await tx.$queryRaw<Reminded[]>`
        WITH due AS (
          SELECT p.id, p.end_date FROM policies p JOIN customers c ON c.id = p.customer_id
          WHERE p.id = ANY(${ids}::uuid[]) AND p.status = 'ACTIVE' AND c.status <> 'DELETED'
            AND p.end_date >= ${today}::date AND p.end_date <= ${today}::date + ${RENEWAL_REMINDER_DAYS}::int
        ), inserted AS (
          INSERT INTO policy_renewal_reminders (policy_id, term_end)
          SELECT id, end_date FROM due
          ON CONFLICT DO NOTHING
          RETURNING policy_id, term_end
        )
        SELECT p.id AS policy_id, p.customer_id, p.number, p.type, to_char(i.term_end, 'YYYY-MM-DD') AS term_end,
               c.pref_channel AS channel
        FROM inserted i JOIN policies p ON p.id = i.policy_id JOIN customers c ON c.id = p.customer_id
        ORDER BY p.id`;
      for (const r of reminded)
        await enqueueNotification(tx, {
          type: 'RENEWAL_REMINDER',
          customerId: r.customer_id,
          channel: r.channel,
          payload: { policyNumber: r.number, policyType: r.type, endDate: r.term_end },
        });
      return reminded.length;
    });
    after = ids[ids.length - 1];
    if (candidates.length < BATCH_SIZE) break;
  }
  return { items, errors: 0 };
}
