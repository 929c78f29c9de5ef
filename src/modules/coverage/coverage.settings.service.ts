import type { Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import { Decimal } from '../../generated/prisma/internal/prismaNamespace';
import { DomainError, Validator } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import {
  applySettingsChange,
  changedSettings,
  validateSettingsChange,
  type CoverageSettings,
  type CoverageSettingsChange,
} from './coverage.settings';

export interface StoredCoverageSettings extends CoverageSettings {
  updatedAt: Date;
}

interface SettingsRow {
  dime_income_years: number;
  income_multiple: number;
  age_no_health_older_than: number;
  age_no_accident_older_than: number;
  expiring_within_days: number;
  expiring_urgent_within_days: number;
  max_premium_share_of_income: string;
  updated_at: Date;
  floors: { currency: string; amount: string }[] | null;
}

/** The settings row and every floor in ONE statement (the gap analysis reads this once per request). */
export async function readCoverageSettings(db: PrismaClient | Tx, lock = false): Promise<StoredCoverageSettings> {
  const rows = await db.$queryRawUnsafe<SettingsRow[]>(
    `SELECT s.dime_income_years, s.income_multiple, s.age_no_health_older_than, s.age_no_accident_older_than,
            s.expiring_within_days, s.expiring_urgent_within_days, s.max_premium_share_of_income::text, s.updated_at,
            (SELECT json_agg(json_build_object('currency', f.currency, 'amount', f.amount::text) ORDER BY f.currency)
             FROM coverage_floors f) AS floors
     FROM coverage_rule_settings s WHERE s.id = 1${lock ? ' FOR UPDATE OF s' : ''}`,
  );
  const row = rows[0];
  // The migration seeds the row; without it the database is not migrated.
  if (!row) throw new Error('coverage_rule_settings has no row: run the migrations');
  return {
    dimeIncomeYears: Number(row.dime_income_years),
    incomeMultiple: Number(row.income_multiple),
    ageNoHealthOlderThan: Number(row.age_no_health_older_than),
    ageNoAccidentOlderThan: Number(row.age_no_accident_older_than),
    expiringWithinDays: Number(row.expiring_within_days),
    expiringUrgentWithinDays: Number(row.expiring_urgent_within_days),
    maxPremiumShareOfIncome: new Decimal(row.max_premium_share_of_income),
    floors: (row.floors ?? []).map((f) => ({ currency: f.currency, amount: new Decimal(f.amount) })),
    updatedAt: row.updated_at,
  };
}

/** Coverage thresholds as data (ADMIN): read them, change them (validated, audited with the changed fields). */
export class CoverageSettingsService {
  constructor(private readonly prisma: PrismaClient) {}

  get(actor: Actor): Promise<StoredCoverageSettings> {
    requireAdmin(actor);
    return readCoverageSettings(this.prisma);
  }

  async update(actor: Actor, input: CoverageSettingsChange): Promise<StoredCoverageSettings> {
    requireAdmin(actor);
    const change: CoverageSettingsChange = {
      ...input,
      floors: input.floors?.map((f) => ({ currency: f.currency.trim().toUpperCase(), amount: f.amount })),
    };
    if (input.floors === undefined) delete change.floors;
    return this.prisma.$transaction(async (tx) => {
      // The row lock serialises concurrent changes, so the audited "changed fields" are exact.
      const current = await readCoverageSettings(tx, true);
      const next = applySettingsChange(current, change);
      const v = new Validator();
      validateSettingsChange(v, change, next);
      v.throwIfInvalid();
      const changed = changedSettings(current, next);
      if (changed.length === 0) return current;
      await tx.coverageRuleSettings.update({
        where: { id: 1 },
        data: {
          dimeIncomeYears: next.dimeIncomeYears,
          incomeMultiple: next.incomeMultiple,
          ageNoHealthOlderThan: next.ageNoHealthOlderThan,
          ageNoAccidentOlderThan: next.ageNoAccidentOlderThan,
          expiringWithinDays: next.expiringWithinDays,
          expiringUrgentWithinDays: next.expiringUrgentWithinDays,
          maxPremiumShareOfIncome: next.maxPremiumShareOfIncome,
        },
      });
      if (changed.includes('floors')) {
        await tx.coverageFloor.deleteMany({});
        await tx.coverageFloor.createMany({ data: next.floors });
      }
      await recordAudit(tx, actor, {
        action: 'coverage.settings.update',
        entityType: 'CoverageSettings',
        entityId: null,
        changedFields: changed,
      });
      return readCoverageSettings(tx);
    });
  }
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only an ADMIN may do this', null);
}
