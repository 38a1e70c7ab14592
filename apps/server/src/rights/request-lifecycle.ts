/**
 * A request's life after it was logged (Art. 12): received -> extended -> completed | refused.
 * An extension (Art. 12(3)) is decided within the first month, with its reasons and the date
 * the subject was told, and adds at most two months to the one-month due date; a refusal
 * (Art. 12(4), (5); Art. 17(3)) names a ground from a fixed list and the reason in words.
 */
import { DomainError } from '../errors/domain-error.js';
import type { Services } from '../services.js';
import type { RefusalGround, RightsRequestRow } from '../store/store.js';
import { addMonths } from './requests.js';

const OPEN = ['received', 'extended'] as const;

async function change(services: Services, projectId: string, id: string, step: Parameters<Services['store']['changeRightsRequest']>[2]): Promise<RightsRequestRow> {
  const row = await services.store.changeRightsRequest(projectId, id, step);
  if (!row) throw new DomainError('not_found', { detail: 'No open request with that id in this project.' });
  return row;
}

async function openRequest(services: Services, projectId: string, id: string): Promise<RightsRequestRow> {
  const row = (await services.store.listRightsRequests(projectId)).find((candidate) => candidate.id === id);
  if (!row || (row.state !== 'received' && row.state !== 'extended')) throw new DomainError('not_found', { detail: 'No open request with that id in this project.' });
  return row;
}

/**
 * @example await extendRequest(services, projectId, 'rq_x', { until, reason: 'many requests at once', noticeAt: now })
 */
export async function extendRequest(services: Services, projectId: string, id: string, input: { until: number; reason: string; noticeAt: number }) {
  const row = await openRequest(services, projectId, id);
  const now = services.clock.now();
  const latest = addMonths(row.originalDueAt, 2);
  const problems = [
    ...(now > row.originalDueAt ? [{ field: 'until', message: 'an extension is decided within the first month (Art. 12(3)); this one has passed' }] : []),
    ...(input.until <= row.dueAt ? [{ field: 'until', message: `must be after the due date in force, ${new Date(row.dueAt).toISOString()}` }] : []),
    ...(input.until > latest ? [{ field: 'until', message: `at most two months more: no later than ${new Date(latest).toISOString()}` }] : []),
    ...(input.noticeAt > row.originalDueAt ? [{ field: 'noticeAt', message: 'the subject is told within the first month' }] : []),
  ];
  if (problems.length > 0) throw new DomainError('unprocessable', { detail: 'This extension is not allowed; see errors.', errors: problems });
  return change(services, projectId, id, { from: OPEN, state: 'extended', dueAt: input.until, extensionReason: input.reason, noticeAt: input.noticeAt });
}

/** @example await completeRequest(services, projectId, 'rq_x', 'sent the export by mail') */
export const completeRequest = (services: Services, projectId: string, id: string, outcome: string) =>
  change(services, projectId, id, { from: OPEN, state: 'completed', completedAt: services.clock.now(), outcome });

/** @example await refuseRequest(services, projectId, 'rq_x', 'manifestly_unfounded', 'the tenth copy this week') */
export const refuseRequest = (services: Services, projectId: string, id: string, ground: RefusalGround, reason: string) =>
  change(services, projectId, id, { from: OPEN, state: 'refused', completedAt: services.clock.now(), refusalGround: ground, outcome: reason });
