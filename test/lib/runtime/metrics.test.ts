import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../lib/runtime/logger.js';
import { metrics } from '../../../lib/runtime/metrics.js';

afterEach(() => vi.restoreAllMocks());

describe('the functions’ metrics', () => {
  it('say nothing when an invocation counted nothing, and still warn of what is wrong', () => {
    const warned: string[] = [];
    vi.spyOn(logger, 'warn').mockImplementation((...args: unknown[]) => void warned.push(String(args[0])));
    metrics.publishStoredMetrics();
    expect(warned).toEqual([]);
    metrics.addDimension('', 'x');
    expect(warned).toEqual([expect.stringContaining("doesn't meet the requirements")]);
  });
});
