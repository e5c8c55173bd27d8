import { describe } from 'vitest';
import { ciLoadTest } from './ci-load.js';

describe('load suite, incidents and reviews (CI-sized; `npm run test:load` for the full size)', () => {
  ciLoadTest('incidents', ['Finding storm', 'PagerDuty storm', 'Big lockdown', 'Access review']);
});
