import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Starts OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise the API's
 * no-op tracer stays in place and costs nothing. Trace context crosses Kafka in record headers.
 */
export const startTelemetry = (serviceName: string): (() => Promise<void>) => {
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return async () => {};
  const sdk = new NodeSDK({ serviceName, traceExporter: new OTLPTraceExporter() });
  sdk.start();
  return () => sdk.shutdown();
};
