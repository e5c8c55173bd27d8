import { search } from '@aws-lambda-powertools/jmespath';
import { Logger } from '@aws-lambda-powertools/logger';

/** The structured logger every function shares (service name and level from the Powertools variables). */
export const logger = new Logger({
  serviceName: 'wickr-autopilot',
  correlationIdSearchFn: (expression, data) => search(expression, data as Parameters<typeof search>[1]),
});
