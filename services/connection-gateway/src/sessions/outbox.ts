import { failActiveSpan } from '@chat/bus';
import { CloseCode, type ServerFrame } from '@chat/contracts';
import type { GatewayMetrics } from '../metrics';
import type { Connection } from './connection';

/** uWS `send` result meaning the frame was dropped because the client is too slow. */
const DROPPED = 2;

/** Sends frames to one connection; a client too slow to take them is closed (it can resume). */
export class Outbox {
  constructor(private readonly metrics: GatewayMetrics) {}

  send(connection: Connection, frame: ServerFrame): void {
    this.sendRaw(connection, JSON.stringify(frame), frame.type);
    if (frame.type !== 'error') return;
    this.metrics.errors.inc({ code: frame.code });
    // The frame (or the outcome) being answered with a refusal: its span says so.
    failActiveSpan(`${frame.code}: ${frame.message}`);
  }

  sendRaw(connection: Connection, text: string, type: string): void {
    if (connection.closed || !connection.ws) return;
    this.metrics.framesOut.inc({ type });
    if (connection.ws.send(text, false) === DROPPED)
      this.close(connection, CloseCode.slowConsumer, 'slow consumer');
  }

  error(
    connection: Connection,
    code: Extract<ServerFrame, { type: 'error' }>['code'],
    message: string,
    ref: string | null,
    retryAfterMs?: number,
  ) {
    const retry = retryAfterMs === undefined ? {} : { retry_after_ms: Math.ceil(retryAfterMs) };
    this.send(connection, { type: 'error', code, message, ref, ...retry });
  }

  close(connection: Connection, code: number, reason: string): void {
    if (connection.closed || !connection.ws) return;
    connection.ws.end(code, reason);
  }
}
