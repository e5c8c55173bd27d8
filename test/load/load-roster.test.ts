import { describe } from 'vitest';
import { ciLoadTest } from './ci-load.js';

describe('load suite, roster snapshots (CI-sized; `npm run test:load` for the full size)', () => {
  ciLoadTest('roster', ['Roster snapshots']);
});
