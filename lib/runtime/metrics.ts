import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type MetricName, type MetricsPort, metricUnits } from '../metric-names.js';
import { logger } from './logger.js';

/**
 * The functions' metrics: EMF in the logs, flushed by the `logMetrics` middleware after each invocation. Its own
 * warnings (an invocation with nothing to count, a coalesced fact) go through the structured logger.
 */
export const metrics = new Metrics({ namespace: 'WickrAutopilot', logger });

const units = { Count: MetricUnit.Count, Milliseconds: MetricUnit.Milliseconds } as const;

/** The port the use cases count through. */
export const metricsPort: MetricsPort = {
  add: (name: MetricName, value: number) => metrics.addMetric(name, units[metricUnits[name]], value),
};
