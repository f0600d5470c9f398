import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ROOT_CONTEXT,
  context,
  trace,
  TraceFlags,
  type Context,
  type ContextManager,
} from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceFields } from './logger';

/** The smallest context manager: what the tracing SDK installs, so that a span can be active. */
class StorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active = () => this.storage.getStore() ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    at: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(at, () => fn.call(thisArg, ...args));
  }
  bind = <T>(_at: Context, target: T) => target;
  enable = () => this;
  disable = () => this;
}

describe('log lines inside a traced operation', () => {
  beforeAll(() => void context.setGlobalContextManager(new StorageContextManager()));
  afterAll(() => context.disable());

  it('carry the trace and span ids of the active span, and nothing outside one', async () => {
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    expect(traceFields()).toEqual({});
    const inside = await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
      await Promise.resolve();
      return traceFields();
    });
    expect(inside).toEqual({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
  });
});
