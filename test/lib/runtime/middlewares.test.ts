import { describe, expect, it } from 'vitest';
import { isPermanent } from '../../../lib/runtime/middlewares.js';

describe('isPermanent', () => {
  it('takes our own refusals and an AWS ValidationException (wrapped or not) as permanent, everything else not', () => {
    const tooBig = Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
      name: 'ValidationException',
      $fault: 'client',
    });
    expect(isPermanent(tooBig)).toBe(true);
    expect(isPermanent(new Error('Failed to update record', { cause: tooBig }))).toBe(true);
    expect(isPermanent(Object.assign(new Error('bad input'), { retryable: false }))).toBe(true);
    expect(isPermanent(Object.assign(new Error('throttled'), { name: 'ThrottlingException', $fault: 'client' }))).toBe(
      false,
    );
    expect(isPermanent(Object.assign(new Error('x'), { name: 'ValidationException', $fault: 'server' }))).toBe(false);
    expect(isPermanent(new Error('boom'))).toBe(false);
  });
});
