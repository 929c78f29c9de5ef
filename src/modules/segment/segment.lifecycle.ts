// Built-in lifecycle segments (NEW, REGULAR, VIP, AT_RISK, CHURNED) from recency, frequency and
// spend. Thresholds are rows of lifecycle_thresholds; this pure function turns them into rule
// trees, so the stages are maintained exactly like any DYNAMIC segment. Stages are exclusive:
// a customer is in the first stage (by position) whose thresholds all hold.
import type { Condition, Criteria } from './segment.rules';

export interface LifecycleThresholdRow {
  stage: string;
  position: number;
  signupWithinDays: number | null;
  minOrders: number | null;
  minTotalSpent: string | null;
  lastOrderWithinDays: number | null;
  lastOrderNotWithinDays: number | null;
}

export const LIFECYCLE_STAGES = ['NEW', 'REGULAR', 'VIP', 'AT_RISK', 'CHURNED'] as const;

function own(row: LifecycleThresholdRow): Criteria {
  const conditions: Condition[] = [];
  if (row.signupWithinDays != null)
    conditions.push({ field: 'CREATED_AT', operator: 'WITHIN_LAST_DAYS', value: row.signupWithinDays });
  if (row.minOrders != null) conditions.push({ field: 'ORDER_COUNT', operator: 'GTE', value: row.minOrders });
  if (row.minTotalSpent != null) conditions.push({ field: 'TOTAL_SPENT', operator: 'GTE', value: row.minTotalSpent });
  if (row.lastOrderWithinDays != null)
    conditions.push({ field: 'LAST_ORDER_AT', operator: 'WITHIN_LAST_DAYS', value: row.lastOrderWithinDays });
  if (row.lastOrderNotWithinDays != null)
    conditions.push({ field: 'LAST_ORDER_AT', operator: 'NOT_WITHIN_LAST_DAYS', value: row.lastOrderNotWithinDays });
  // A row with no threshold matches nobody rather than everybody.
  if (conditions.length === 0) conditions.push({ field: 'ORDER_COUNT', operator: 'LT', value: 0 });
  return { and: conditions.map((condition) => ({ condition })) };
}

/** The rule tree of every stage: its own thresholds and none of the stages before it. */
export function lifecycleCriteria(rows: LifecycleThresholdRow[]): Map<string, Criteria> {
  const sorted = [...rows].sort((a, b) => a.position - b.position);
  const trees = new Map<string, Criteria>();
  sorted.forEach((row, i) => {
    const before = sorted.slice(0, i).map(own);
    trees.set(row.stage, before.length === 0 ? own(row) : { and: [own(row), { not: { or: before } }] });
  });
  return trees;
}
