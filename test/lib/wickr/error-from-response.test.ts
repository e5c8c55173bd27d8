import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../../../lib/wickr/error-from-response.js';
import {
  publicReason,
  WickrInternalServerError,
  WickrRateLimitError,
  WickrServiceError,
  WickrValidationError,
} from '../../../lib/wickr/errors.js';

const headers = (h: Record<string, string> = {}) => new Headers(h);

describe('errorFromResponse', () => {
  it('names the error from X-Amzn-Errortype, stripping namespace and suffix', () => {
    const error = errorFromResponse(
      'ListNetworks',
      429,
      headers({ 'x-amzn-errortype': 'com.amazonaws.wickr#RateLimitError:http://internal', 'retry-after': '3' }),
      '{}',
    );
    expect(error).toBeInstanceOf(WickrRateLimitError);
    expect(error).toMatchObject({ errorType: 'RateLimitError', retryAfterMs: 3000, retryable: true });
    expect(error.message).toBe('ListNetworks failed with HTTP 429');
  });

  it('falls back to the body __type, then to the status', () => {
    expect(errorFromResponse('X', 400, headers(), '{"__type":"RateLimitError"}')).toBeInstanceOf(WickrRateLimitError);
    const validation = errorFromResponse(
      'X',
      422,
      headers(),
      '{"message":"bad","reasons":[{"field":"name","reason":"name is required"}]}',
    );
    expect(validation).toBeInstanceOf(WickrValidationError);
    expect((validation as WickrValidationError).reasons).toEqual([{ field: 'name', reason: 'name is required' }]);
    expect(validation.retryable).toBe(false);
  });

  it('treats an unmodelled 5xx as a retryable server error and an unmodelled 4xx as not', () => {
    const unavailable = errorFromResponse('X', 503, headers(), '<html>');
    expect(unavailable).toBeInstanceOf(WickrInternalServerError);
    expect(unavailable.retryable).toBe(true);
    const teapot = errorFromResponse('X', 418, headers(), '');
    expect(teapot).toBeInstanceOf(WickrServiceError);
    expect(teapot).toMatchObject({ errorType: 'Http418', retryable: false });
  });

  it('names a service error by type, status, request id and fields in outcomes — never Wickr’s own text', () => {
    const text = 'User mallory@example.com already exists in group Финансы';
    const validation = errorFromResponse(
      'BatchCreateUser',
      422,
      headers({ 'x-amzn-requestid': 'req-1' }),
      JSON.stringify({ message: text, reasons: [{ field: 'users.0.username', reason: text }] }),
    );
    expect(publicReason(validation)).toBe('ValidationError (HTTP 422, request req-1): users.0.username');
    const server = errorFromResponse('X', 500, headers(), JSON.stringify({ message: text }));
    expect(publicReason(server)).toBe('InternalServerError (HTTP 500)');
    expect(publicReason(validation)).not.toContain('mallory');
    // Our own refusals name a field and a rule: they are kept.
    expect(publicReason(new Error('detail.department: is required'))).toBe('detail.department: is required');
  });
});
