import type { CodeOf, commonErrorCodes, freeSpinEventErrorCodes } from '../../platform/errors.js';
import type { ErrorTable } from '../kit/surface.js';

/** JDB statuses (String(4)) this surface answers with; "0000" is success. */
export const JdbStatus = {
  ok: '0000',
  parentNotFound: '7001',
  invalidParameter: '8000',
  domainMissing: '9002',
  domainUnknown: '9003',
  dataEmpty: '9004',
  timestampRejected: '9005',
  dataUnreadable: '9006',
  unknownAction: '9007',
  dataNotFound: '9015',
  rateLimited: '9019',
  eventState: '9998',
  failed: '9999',
} as const;

/** A refusal with a JDB status and err_text, raised while reading or checking a request. */
export class JdbRefusal {
  constructor(
    readonly status: string,
    readonly text: string,
  ) {}
}

const PARAMETER_TEXT = 'The parameter of input error, please check your parameter is correct or not. parameter:';

/** 8000 in JDB's words: `…parameter:<field> <problem>`. */
export function parameterText(field: string, problem: string): string {
  return `${PARAMETER_TEXT}${field} ${problem}`;
}

export function parameterRefusal(field: string, problem: string): JdbRefusal {
  return new JdbRefusal(JdbStatus.invalidParameter, parameterText(field, problem));
}

/** A validator message ("name is required") as 8000. */
export function validationRefusal(message: string): JdbRefusal {
  return new JdbRefusal(JdbStatus.invalidParameter, `${PARAMETER_TEXT}${message}`);
}

/** The domain errors the JDB actions can meet: those of free-spin events and bindings. */
export type JdbDomainErrorCode = CodeOf<typeof commonErrorCodes | typeof freeSpinEventErrorCodes>;

/**
 * The domain errors the JDB actions can meet, as JDB statuses. Where JDB's docs give one
 * action its own status for a case, `byAction` says so. Anything else is a bug: 9999, logged.
 */
export const domainErrorToJdb: {
  all: ErrorTable<JdbDomainErrorCode, string>;
  byAction: ReadonlyMap<number, Partial<ErrorTable<JdbDomainErrorCode, string>>>;
} = {
  all: {
    invalid_parameter: JdbStatus.invalidParameter,
    event_exists: JdbStatus.invalidParameter,
    agent_not_found: JdbStatus.parentNotFound,
    event_not_found: JdbStatus.dataNotFound,
    event_state: JdbStatus.eventState,
    internal: JdbStatus.failed,
  },
  // Action 73 answers "Event not exist." with 9998.
  byAction: new Map([[73, { event_not_found: JdbStatus.eventState }]]),
};

/** Domain field names that JDB calls otherwise. */
export const wireFieldNames: ReadonlyMap<string, string> = new Map([
  ['games', 'machineTypes'],
  ['game', 'mType'],
  ['agent', 'parent'],
]);
