export { AppMetrics, HIDDEN_TENANT, MAX_OPERATION_NAMES, MAX_TENANTS } from './app-metrics';
export { OTHER } from './bounded-label';
export { poolUsageOf, predictionQualityOf, LIVE_RPS_MATCHES } from './collectors';
export {
  graphqlMetricsPlugin,
  recordDeprecatedUsage,
  recordOperation,
  timeRootFields,
  ANONYMOUS_OPERATION,
  INVALID_OPERATION,
} from './graphql.plugin';
export { metricsHandler, startMetricsServer, METRICS_PATH } from './metrics-endpoint';
export { WebSocketMetrics, subscriptionFieldOf } from './websocket-metrics';
