/** Powertools instances shared by every Node handler (one logger, metrics namespace and tracer). */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Log } from '#scan/deps.ts';

export const logger = new Logger({ serviceName: 'posture' });
export const metrics = new Metrics({ namespace: 'Posture', serviceName: 'posture' });
export const tracer = new Tracer({ serviceName: 'posture' });

export const domainLog: Log = {
  info: (msg, extra) => logger.info(msg, extra ?? {}),
  warn: (msg, extra) => logger.warn(msg, extra ?? {}),
  error: (msg, extra) => logger.error(msg, extra ?? {}),
};
