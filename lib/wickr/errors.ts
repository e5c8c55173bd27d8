/** A problem with one member of a request, found before anything was sent or reported by the service. */
export interface WickrFieldIssue {
  /** Dotted path of the member, e.g. `securityGroupSettings.maxNonSsoSessionMinutes`. */
  readonly field: string;
  /** The rule that was broken, in words. */
  readonly reason: string;
}

/** Root of every error the Wickr client throws. */
export class WickrError extends Error {
  override name = 'WickrError';
  /** Whether repeating the same request later may succeed. */
  get retryable(): boolean {
    return false;
  }
}

/** The request broke a documented rule; it was never sent. */
export class WickrRequestValidationError extends WickrError {
  override name = 'WickrRequestValidationError';
  constructor(
    readonly operation: string,
    readonly issues: readonly WickrFieldIssue[],
  ) {
    super(`${operation} request is invalid: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`);
  }
}

/** Details every error answered by the service carries. */
export interface WickrServiceErrorDetails {
  readonly operation: string;
  readonly status: number;
  readonly errorType: string;
  readonly requestId?: string | undefined;
  /** Server-suggested wait before a retry, from `Retry-After`. */
  readonly retryAfterMs?: number | undefined;
}

/** The service answered with an error status. */
export class WickrServiceError extends WickrError {
  override name = 'WickrServiceError';
  readonly operation: string;
  readonly status: number;
  readonly errorType: string;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: WickrServiceErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.operation = details.operation;
    this.status = details.status;
    this.errorType = details.errorType;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
  override get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** 400 BadRequestError. */
export class WickrBadRequestError extends WickrServiceError {
  override name = 'WickrBadRequestError';
}
/** 401 UnauthorizedError. */
export class WickrUnauthorizedError extends WickrServiceError {
  override name = 'WickrUnauthorizedError';
}
/** 403 ForbiddenError. */
export class WickrForbiddenError extends WickrServiceError {
  override name = 'WickrForbiddenError';
}
/** 404 ResourceNotFoundError. */
export class WickrResourceNotFoundError extends WickrServiceError {
  override name = 'WickrResourceNotFoundError';
}
/** 422 ValidationError, with the service's `reasons`. */
export class WickrValidationError extends WickrServiceError {
  override name = 'WickrValidationError';
  constructor(
    message: string,
    details: WickrServiceErrorDetails,
    readonly reasons: readonly WickrFieldIssue[],
  ) {
    super(message, details);
  }
}
/** 429 RateLimitError. */
export class WickrRateLimitError extends WickrServiceError {
  override name = 'WickrRateLimitError';
}
/** 500 InternalServerError. */
export class WickrInternalServerError extends WickrServiceError {
  override name = 'WickrInternalServerError';
}

/** The connection failed or was reset before a response arrived. */
export class WickrNetworkError extends WickrError {
  override name = 'WickrNetworkError';
  constructor(
    readonly operation: string,
    options: ErrorOptions,
  ) {
    super(`${operation} failed before a response arrived`, options);
  }
  override get retryable(): boolean {
    return true;
  }
}

/** One attempt took longer than the request timeout. */
export class WickrTimeoutError extends WickrError {
  override name = 'WickrTimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} timed out after ${timeoutMs} ms`);
  }
  override get retryable(): boolean {
    return true;
  }
}

/** The caller's AbortSignal fired; nothing further is attempted. */
export class WickrAbortedError extends WickrError {
  override name = 'WickrAbortedError';
  constructor(
    readonly operation: string,
    options?: ErrorOptions,
  ) {
    super(`${operation} was aborted by the caller`, options);
  }
}

/** A 200 response whose body does not have the shape the model promises. */
export class WickrResponseParseError extends WickrError {
  override name = 'WickrResponseParseError';
  constructor(
    readonly operation: string,
    readonly issues: readonly WickrFieldIssue[],
    options?: ErrorOptions,
  ) {
    super(
      `${operation} returned an unexpected response: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`,
      options,
    );
  }
}

/** The shared request budget could not hand out a slot in time (a broken or poisoned meter); later may succeed. */
export class WickrBudgetError extends WickrError {
  override name = 'WickrBudgetError';
  override get retryable(): boolean {
    return true;
  }
}

/**
 * What an outcome event or a failure record may say of an error: Wickr's own text can quote usernames or other
 * input, so a service error is named by its type, HTTP status, request id and, for a validation error, the fields
 * it named — never its message (which goes to DEBUG logs only). Errors of our own making keep their message: it
 * names a field and a rule.
 */
export function publicReason(error: unknown): string {
  if (error instanceof WickrValidationError) {
    const fields = [...new Set(error.reasons.map((r) => r.field))].slice(0, 10).join(', ');
    return `${error.errorType} (HTTP ${error.status}${error.requestId ? `, request ${error.requestId}` : ''})${fields ? `: ${fields}` : ''}`;
  }
  if (error instanceof WickrServiceError) {
    return `${error.errorType} (HTTP ${error.status}${error.requestId ? `, request ${error.requestId}` : ''})`;
  }
  if (error instanceof WickrError && !(error instanceof WickrRequestValidationError)) return error.name;
  return error instanceof Error ? error.message : String(error);
}

/** The client was configured in a way it cannot work with (a FIPS endpoint with a custom one, no region). */
export class WickrConfigurationError extends WickrError {
  override name = 'WickrConfigurationError';
}
