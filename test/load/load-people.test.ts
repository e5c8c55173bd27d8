import { describe } from 'vitest';
import { ciLoadTest } from './ci-load.js';

describe('load suite, people (CI-sized; `npm run test:load` for the full size)', () => {
  ciLoadTest('people', ['HR burst', 'Okta burst']);
});
