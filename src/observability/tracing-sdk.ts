// The OpenTelemetry SDK, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set: without it no SDK is
// registered and the API's no-op tracer answers every span. The exporter speaks OTLP/HTTP with
// JSON bodies and reads the standard OTEL_* variables itself (endpoint, headers, timeout).
import { context, propagation, trace } from '@opentelemetry/api';

/** A running tracing SDK: flush and stop it before the process exits. */
export interface Tracing {
  /** Exports what is buffered (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Registers the SDK with an OTLP/HTTP exporter when `env.OTEL_EXPORTER_OTLP_ENDPOINT` is set;
 * otherwise does nothing and returns undefined.
 */
export async function startTracing(
  env: NodeJS.ProcessEnv = process.env,
  options: { serviceVersion?: string; batch?: boolean } = {},
): Promise<Tracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const [
    { NodeTracerProvider },
    { BatchSpanProcessor, SimpleSpanProcessor },
    { OTLPTraceExporter },
    resources,
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  // The traces URL as the specification derives it (a signal-specific endpoint wins), from the
  // environment given, which need not be process.env.
  const url =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  const exporter = new OTLPTraceExporter({ url });
  const processor =
    options.batch === false ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({
    resource: resources.resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? 'huitong',
      ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
    }),
    spanProcessors: [processor],
  });
  // Also installs the AsyncLocalStorage context manager, so that a span started in a request's
  // handler finds the request's span as its parent across awaits.
  provider.register();
  return {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      // A collector that is away loses the last spans; it must not fail the shutdown.
      await provider.shutdown().catch(() => undefined);
      // Back to the no-op tracer, so that a later start (a test) can register again.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
