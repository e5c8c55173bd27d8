import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The suites that take longest (the CI-sized chaos and load runs, the local stack's start, the roster snapshots):
 * started first, so the other workers take the short suites meanwhile — one started last would hold the run open
 * alone.
 */
const longest = [
  'test/reliability/chaos.test.ts',
  'test/load/load-roster.test.ts',
  'test/infra/local/start.test.ts',
  'test/docs/documented-commands.test.ts',
  'test/load/load-people.test.ts',
  'test/lib/hr/hr-roster.test.ts',
  'test/infra/local/local-stack.test.ts',
  'test/load/load-incidents.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = longest.findIndex((path) => file.moduleId.endsWith(path));
      return index === -1 ? longest.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Hang guards, not timing checks: with 4 workers on 2 cores a test that spawns the whole local stack and its
    // commands takes up to about 20 s (CI saw 20.7 s), so the guard is three times that.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most suites wait on sockets and simulated time, not the CPU: on 2 cores, 4 workers took the suite from about
    // 600 s to about 220 s, near its CPU floor (vitest's default here is one worker: cores − 1).
    maxWorkers: 4,
    sequence: { sequencer: LongestFirst },
  },
});
