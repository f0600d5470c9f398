import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';

/** The headers plus the active W3C trace context, so a trace follows a record across services. */
export const withTraceContext = (headers: Record<string, string> = {}): Record<string, string> => {
  const carrier = { ...headers };
  propagation.inject(context.active(), carrier);
  return carrier;
};

/**
 * Runs a record's handler inside the trace context its headers carry. Extracted onto the root
 * context, not the active one: a consumer loop would otherwise parent every record it handles
 * under whatever span happened to be active when the loop started.
 */
export const inTraceContext = <T>(headers: Record<string, string>, run: () => Promise<T>): Promise<T> =>
  context.with(propagation.extract(ROOT_CONTEXT, headers), run);
