// Policy numbers per type (AUTO-000001, HOME-000001…), handed out by the policy_number_counters
// table inside the transaction that creates the policy. The upsert takes the counter row's lock
// until that transaction ends, so concurrent creates on any number of server instances get
// distinct numbers, and a rolled-back create gives its number back (no gaps, no duplicates).
import type { Tx } from '../../db/client';
import type { PolicyType } from '../../generated/prisma/enums';

export const POLICY_NUMBER_DIGITS = 6;

export const formatPolicyNumber = (type: PolicyType, value: number): string =>
  `${type}-${String(value).padStart(POLICY_NUMBER_DIGITS, '0')}`;

/** "auto-000001 " → "AUTO-000001"; null when it cannot be a policy number. */
export function normalisePolicyNumber(text: string): string | null {
  const match = /^\s*([A-Za-z]+)-(\d{1,12})\s*$/.exec(text);
  if (!match) return null;
  const digits = match[2].replace(/^0+(?=\d)/, '');
  return `${match[1].toUpperCase()}-${digits.padStart(POLICY_NUMBER_DIGITS, '0')}`;
}

/** The next number of `type`; call inside the create transaction. */
export async function nextPolicyNumber(tx: Tx, type: PolicyType): Promise<string> {
  const [row] = await tx.$queryRaw<{ last_value: number }[]>`
    INSERT INTO policy_number_counters (type, last_value) VALUES (${type}::"PolicyType", 1)
    ON CONFLICT (type) DO UPDATE SET last_value = policy_number_counters.last_value + 1
    RETURNING last_value`;
  return formatPolicyNumber(type, Number(row.last_value));
}
