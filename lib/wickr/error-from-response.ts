import {
  WickrBadRequestError,
  type WickrFieldIssue,
  WickrForbiddenError,
  WickrInternalServerError,
  WickrRateLimitError,
  WickrResourceNotFoundError,
  WickrServiceError,
  type WickrServiceErrorDetails,
  WickrUnauthorizedError,
  WickrValidationError,
} from './errors.js';

type ServiceErrorClass = new (message: string, details: WickrServiceErrorDetails) => WickrServiceError;

const byType: Readonly<Record<string, ServiceErrorClass>> = {
  BadRequestError: WickrBadRequestError,
  UnauthorizedError: WickrUnauthorizedError,
  ForbiddenError: WickrForbiddenError,
  ResourceNotFoundError: WickrResourceNotFoundError,
  RateLimitError: WickrRateLimitError,
  InternalServerError: WickrInternalServerError,
};

// Every modelled error has its own status, so the status alone identifies it when no name is sent.
const typeByStatus: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'ResourceNotFoundError',
  422: 'ValidationError',
  429: 'RateLimitError',
  500: 'InternalServerError',
};

// restJson1 names the error in X-Amzn-Errortype or the body's __type/code, possibly as `ns#Name:extra`.
function sanitizeType(raw: string): string {
  return raw.split(':')[0]?.split('#').pop()?.trim() ?? raw;
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function reasonsOf(value: unknown): WickrFieldIssue[] {
  if (!Array.isArray(value)) return [];
  return value.map((r: { field?: unknown; reason?: unknown }) => ({
    field: typeof r?.field === 'string' ? r.field : '',
    reason: typeof r?.reason === 'string' ? r.reason : '',
  }));
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Turns an error response into the typed error of its modelled name or status. */
export function errorFromResponse(
  operation: string,
  status: number,
  headers: Headers,
  text: string,
): WickrServiceError {
  const body = parseBody(text);
  const named = headers.get('x-amzn-errortype') ?? body.__type ?? body.code;
  const errorType =
    typeof named === 'string' && named !== '' ? sanitizeType(named) : (typeByStatus[status] ?? `Http${status}`);
  const message = typeof body.message === 'string' ? body.message : `${operation} failed with HTTP ${status}`;
  const details: WickrServiceErrorDetails = {
    operation,
    status,
    errorType,
    requestId: headers.get('x-amzn-requestid') ?? headers.get('x-amz-request-id') ?? undefined,
    retryAfterMs: retryAfterMs(headers.get('retry-after')),
  };
  if (errorType === 'ValidationError') return new WickrValidationError(message, details, reasonsOf(body.reasons));
  const ErrorClass = byType[errorType] ?? (status >= 500 ? WickrInternalServerError : WickrServiceError);
  return new ErrorClass(message, details);
}
