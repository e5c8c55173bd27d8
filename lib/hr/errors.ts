import { AutomationError, type FailureDecision } from '../failure.js';

/** Root of the HR capability's errors; a plain one is a fault a later delivery may not meet (retryable). */
export class HrError extends AutomationError {
  override name = 'HrError';
  constructor(message: string, decision: FailureDecision = { retryable: true, code: 'HR_TRANSIENT' }) {
    super(message, decision);
  }
}

/** Wickr refused this user outright (an invalid request, say): the same request fails the same way. */
export class HrUserRefusedError extends HrError {
  override name = 'HrUserRefusedError';
  constructor(message: string, code: string) {
    super(message, { retryable: false, code });
  }
}

/** The event asks for something that cannot be done; retrying will not help. */
export class HrInputError extends HrError {
  override name = 'HrInputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`, { retryable: false, code: 'INPUT_REFUSED' });
  }

  /** The refusal's fields, as the failure queue shows them. */
  get issues(): readonly { field: string; reason: string }[] {
    return [{ field: this.field, reason: this.reason }];
  }
}

/** An HR message that is not an HR fact this deployment accepts: each field named with its rule. */
export class HrMessageRejectedError extends HrError {
  override name = 'HrMessageRejectedError';
  constructor(readonly issues: readonly { field: string; reason: string }[]) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '), { retryable: false, code: 'MESSAGE_REFUSED' });
  }
}

/** The network already holds as many groups as the automation may create (`hr.maxCreatedGroupsPerNetwork`). */
export class HrGroupCapError extends HrError {
  override name = 'HrGroupCapError';
  constructor(
    readonly networkId: string,
    readonly cap: number,
  ) {
    super(
      `Network ${networkId} already holds the ${cap} groups this deployment may create (hr.maxCreatedGroupsPerNetwork)`,
      { retryable: false, code: 'GROUP_CAP' },
    );
  }
}

/**
 * Wickr's per-user failure reasons may quote the username: only these fixed codes are logged or published.
 */
export function failureCode(reason: string | undefined): 'USER_EXISTS' | 'NOT_FOUND' | 'INVALID' | 'REFUSED' {
  if (/already exists/i.test(reason ?? '')) return 'USER_EXISTS';
  if (/not found/i.test(reason ?? '')) return 'NOT_FOUND';
  if (/invalid|validation|must/i.test(reason ?? '')) return 'INVALID';
  return 'REFUSED';
}
