import { Logger } from '@aws-lambda-powertools/logger';

/** The structured logger every function shares (service name and level from the Powertools variables). */
export const logger = new Logger({ serviceName: 'wickr-autopilot' });
