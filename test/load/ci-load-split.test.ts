import { describe, expect, it } from 'vitest';
import { ciLoadParts, scenarioKeys } from './ci-load.js';

describe('the CI-sized load suite', () => {
  it('runs every scenario of the load suite exactly once across its three files', () => {
    const run = Object.values(ciLoadParts).flat();
    expect([...run].sort()).toEqual([...scenarioKeys].sort());
  });
});
