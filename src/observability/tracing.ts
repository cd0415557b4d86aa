import { type Attributes, type Context, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';

// Through the API only: with no SDK registered (OTEL_EXPORTER_OTLP_ENDPOINT unset) the tracer is
// the API's no-op one, whose spans record nothing and cost a few allocations (see BENCHMARKS.md).
const tracer = () => trace.getTracer('huitong');

/** The attribute that carries the request id on every span of a request. */
export const REQUEST_ID_ATTRIBUTE = 'huitong.request_id';

/** Options of a span: attributes, and the parent when it is not the active context. */
export interface SpanOptions {
  attributes?: Attributes;
  parent?: Context;
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Runs `work` in a span named `name` (active inside it), ended when `work` settles. */
export async function traced<T>(
  name: string,
  work: (span: Span) => Promise<T> | T,
  options: SpanOptions = {},
): Promise<T> {
  return tracer().startActiveSpan(
    name,
    { attributes: options.attributes },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        fail(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Starts a span ended by the caller (a stream's delivery, a request), under `parent` or the active context. */
export function startSpan(name: string, options: SpanOptions = {}): Span {
  return tracer().startSpan(name, { attributes: options.attributes }, options.parent ?? context.active());
}

/** Ends a span started with startSpan, marking it failed when `error` is given. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) fail(span, error);
  span.end();
}

/** The context with `span` as the parent of what starts inside it. */
export function contextWith(span: Span, parent: Context = context.active()): Context {
  return trace.setSpan(parent, span);
}

/** The active context, to hand to work that runs later (a stream pulled by the socket). */
export function activeContext(): Context {
  return context.active();
}

/** Runs `work` with `ctx` as the active context. */
export function runIn<T>(ctx: Context, work: () => T): T {
  return context.with(ctx, work);
}
