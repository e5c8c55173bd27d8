/** Root of the HR capability's errors. */
export class HrError extends Error {
  override name = 'HrError';
  /** Whether the same event, delivered again later, may succeed. */
  get retryable(): boolean {
    return true;
  }
}

/** The event asks for something that cannot be done; retrying will not help. */
export class HrInputError extends HrError {
  override name = 'HrInputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
  override get retryable(): boolean {
    return false;
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
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
  }
  override get retryable(): boolean {
    return false;
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
    );
  }
  override get retryable(): boolean {
    return false;
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
