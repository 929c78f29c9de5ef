import { ownerScope, type Actor } from '../../auth/actor';
import type { PrismaClient, Tx } from '../../db/client';
import type { Customer } from '../../generated/prisma/client';
import { DomainError } from '../../shared/domain-error';
import { recordAudit } from '../audit/audit';
import { lockCustomer } from '../customer/customer.lock';
import { updateCustomerWithAudit } from '../customer/customer.write';
import { exportDocument, exportSections, type ExportSections } from './privacy.export';
import { consentOutcome, consentRequestIssues, reasonIssues, type ConsentRequest } from './privacy.rules';
import { anonymiseOwnedRows, anonymisedCustomerColumns, stopProcessing } from './privacy.scrub';

/** An export about to be written: the customer it is about and its sections, read lazily. */
export interface OpenedExport {
  customer: Customer;
  sections: ExportSections;
}

/**
 * The GDPR operations of docs/privacy.md: consent changes with history, anonymisation and export
 * (erasure is customerDelete, CustomerService.delete, which scrubs through privacy.scrub.ts).
 * Each is audited in its own transaction.
 */
export class PrivacyService {
  constructor(private readonly prisma: PrismaClient) {}

  async changeConsent(actor: Actor, id: string, request: ConsentRequest): Promise<Customer> {
    const issues = consentRequestIssues(request);
    if (issues.length > 0) throw new DomainError(issues);
    return this.prisma.$transaction(async (tx) => {
      const current = await lockCustomer(tx, actor, id);
      if (current.status === 'DELETED')
        throw new DomainError('INVALID_TRANSITION', 'An anonymised customer has no consents to change', ['id']);
      const outcome = consentOutcome(
        { dataProcessing: current.dataProcessingConsentAt !== null, marketing: current.marketingConsent },
        request,
      );
      if (outcome.issues.length > 0) throw new DomainError(outcome.issues);
      if (outcome.changes.length === 0) return current;
      const now = new Date();
      const changes: Partial<Customer> = {};
      for (const change of outcome.changes) {
        if (change.kind === 'DATA_PROCESSING') changes.dataProcessingConsentAt = change.to ? now : null;
        else {
          changes.marketingConsent = change.to;
          changes.marketingConsentAt = change.to ? now : null;
        }
      }
      const reason = request.reason!.trim();
      const source = request.source!.trim();
      await tx.consentChange.createMany({
        data: outcome.changes.map((change) => ({
          customerId: id,
          kind: change.kind,
          granted: change.to,
          actorId: actor.id,
          source,
          reason,
          changedAt: now,
        })),
      });
      if (!outcome.next.dataProcessing) await stopProcessing(tx, id, now);
      return updateCustomerWithAudit(tx, actor, id, changes, {
        action: 'customer.consent.change',
        entityType: 'Customer',
        entityId: id,
        changedFields: Object.keys(changes),
        reason,
      });
    });
  }

  /**
   * Irreversibly replaces the customer's personal data and sets DELETED; the figures stay for
   * reporting (docs/privacy.md lists what is replaced and what is kept).
   */
  async anonymise(actor: Actor, id: string, input: { reason?: string | null }): Promise<Customer> {
    const issues = reasonIssues(input.reason, ['input', 'reason']);
    if (issues.length > 0) throw new DomainError(issues);
    return this.prisma.$transaction(async (tx) => {
      const current = await lockCustomer(tx, actor, id);
      if (current.status === 'DELETED')
        throw new DomainError('INVALID_TRANSITION', 'The customer is already anonymised', ['id']);
      const now = new Date();
      await anonymiseOwnedRows(tx, id);
      await stopProcessing(tx, id, now);
      const columns = anonymisedCustomerColumns(now);
      return updateCustomerWithAudit(tx, actor, id, columns as Partial<Customer>, {
        action: 'customer.anonymise',
        entityType: 'Customer',
        entityId: id,
        changedFields: Object.keys(columns),
        reason: input.reason,
      });
    });
  }

  /** The whole export document of a customer, or null when the actor may not see them. Audited. */
  async exportDocument(actor: Actor, id: string): Promise<Record<string, unknown> | null> {
    const opened = await this.openExport(actor, id, 'graphql');
    return opened ? exportDocument(opened.sections) : null;
  }

  /**
   * Starts an export: checks visibility, records the audit entry (before any data leaves) and
   * returns the sections, read batch by batch as they are written.
   */
  async openExport(actor: Actor, id: string, via: 'graphql' | 'http'): Promise<OpenedExport | null> {
    const customer = await this.prisma.$transaction(async (tx: Tx) => {
      const row = await tx.customer.findUnique({ where: { id } });
      const scope = ownerScope(actor);
      if (!row || (scope && row.ownerId !== scope)) return null;
      await recordAudit(tx, actor, { action: `customer.export.${via}`, entityType: 'Customer', entityId: id });
      return row;
    });
    return customer ? { customer, sections: exportSections(this.prisma, customer) } : null;
  }
}
