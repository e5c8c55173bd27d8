import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type MetricName, type MetricsPort, metricUnits } from '../metric-names.js';

/** The functions' metrics: EMF in the logs, flushed by the `logMetrics` middleware after each invocation. */
export const metrics = new Metrics({ namespace: 'WickrAutopilot' });

const units = { Count: MetricUnit.Count, Milliseconds: MetricUnit.Milliseconds } as const;

/** The port the use cases count through. */
export const metricsPort: MetricsPort = {
  add: (name: MetricName, value: number) => metrics.addMetric(name, units[metricUnits[name]], value),
};
