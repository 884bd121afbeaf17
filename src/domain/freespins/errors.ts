import { DomainError } from '../../platform/errors.js';
import type { EventStatus } from './freeSpin.js';

/** Request fields in the domain's words; a surface maps them to its own names. */
export type FreeSpinField =
  | 'agent'
  | 'eventId'
  | 'transactionId'
  | 'name'
  | 'startTime'
  | 'endTime'
  | 'games'
  | 'bet'
  | 'times'
  | 'type'
  | 'minWithdrawal'
  | 'maxWithdrawal'
  | 'players'
  | 'uid'
  | 'game'
  | 'win'
  | 'spinId'
  | 'date';

/** An invalid parameter; the message starts with the field's name. */
export function badParameter(field: FreeSpinField, problem: string): DomainError {
  return new DomainError('invalid_parameter', `${field} ${problem}`, { field });
}

export function eventNotFound(eventId: string): DomainError {
  return new DomainError('event_not_found', `event ${eventId} does not exist`, { field: 'eventId' });
}

/** The event's status does not allow the action. */
export function eventStatusForbids(status: EventStatus, allowed: EventStatus[]): DomainError {
  const names = allowed.map((s) => s.toUpperCase()).join(' or ');
  return new DomainError(
    'event_state',
    `this action cannot be executed as the event status is ${status.toUpperCase()} (it needs ${names})`,
    { field: 'eventId' },
  );
}
